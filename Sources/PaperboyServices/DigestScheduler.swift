public import Foundation
public import Logging
public import PaperboyModel
public import ServiceLifecycle

/// Digests inside `paperboy serve`: each day at a local time (in a configured time zone) it
/// queues the daily digests, and on a configured weekday the weekly ones, then sends; between
/// times it sends what is due (retries). A restart at any hour is safe: queuing a period twice
/// writes nothing new.
public struct DigestScheduler: Service {
    /// When digests go out.
    public struct Schedule: Sendable, Equatable {
        /// Hour (0–23) and minute of the local send time.
        public var hour: Int
        /// Minute of the local send time.
        public var minute: Int
        /// The time zone of ``hour`` and ``minute``, and of "today".
        public var timeZone: TimeZone
        /// The weekday of weekly digests (1 = Sunday … 7 = Saturday, as `Calendar` counts).
        public var weeklyOn: Int

        /// Reads `HH:MM`, a time zone identifier (`Europe/Berlin`) and a weekday name.
        ///
        /// - Throws: ``ServiceError`` `invalidInput` naming the value.
        public init(time: String = "07:00", timeZone: String = "UTC", weeklyOn: String = "monday") throws {
            let parts = time.split(separator: ":")
            guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour),
                (0..<60).contains(minute)
            else { throw ServiceError(.invalidInput, field: "digest-time", "\"\(time)\" is not a time like 07:00") }
            guard let zone = TimeZone(identifier: timeZone) else {
                throw ServiceError(
                    .invalidInput, field: "digest-time-zone", "\"\(timeZone)\" is not a time zone like Europe/Berlin")
            }
            let days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
            guard let weekday = days.firstIndex(of: weeklyOn.lowercased()) else {
                throw ServiceError(.invalidInput, field: "digest-weekday", "\"\(weeklyOn)\" is not a weekday")
            }
            self.hour = hour
            self.minute = minute
            self.timeZone = zone
            self.weeklyOn = weekday + 1
        }

        /// What is due at `date`: the local day, and whether the daily and weekly runs are due
        /// (the send time has passed today and, for weekly, today is the weekday).
        public func due(at date: Date) -> (today: CalendarDay, daily: Bool, weekly: Bool) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = self.timeZone
            let parts = calendar.dateComponents([.hour, .minute, .weekday], from: date)
            let passed = (parts.hour ?? 0, parts.minute ?? 0) >= (self.hour, self.minute)
            return (CalendarDay(date, in: self.timeZone), passed, passed && parts.weekday == self.weeklyOn)
        }
    }

    let digests: Digests
    let sender: DigestSender
    let schedule: Schedule
    let interval: Duration
    let logger: Logger

    /// Creates the service; `interval` is how often it wakes to check.
    public init(
        digests: Digests, sender: DigestSender, schedule: Schedule, interval: Duration = .seconds(60), logger: Logger
    ) {
        self.digests = digests
        self.sender = sender
        self.schedule = schedule
        self.interval = interval
        self.logger = logger
    }

    /// Runs until cancelled or until the service group shuts down gracefully (which cancels the
    /// wait between turns and stops the sender after the digest in flight).
    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.loop() }
    }

    private func loop() async throws {
        var done: (daily: CalendarDay?, weekly: CalendarDay?) = (nil, nil)
        while !Task.isCancelled {
            let due = self.schedule.due(at: Date())
            do {
                if due.daily, done.daily != due.today {
                    try await self.queue(.daily, today: due.today)
                    done.daily = due.today
                }
                if due.weekly, done.weekly != due.today {
                    try await self.queue(.weekly, today: due.today)
                    done.weekly = due.today
                }
                let report = try await self.sender.run()
                if report != DigestSender.Report() { self.logger.info("digests: \(report)") }
            } catch is CancellationError {
                return
            } catch {
                self.logger.error("digests: \(error); trying again in \(self.interval)")
            }
            do {
                try await Task.sleep(for: self.interval)
            } catch {
                return
            }
        }
    }

    private func queue(_ frequency: Subscription.Frequency, today: CalendarDay) async throws {
        let report = try await self.digests.enqueue(frequency, today: today)
        self.logger.info(
            "digests \(frequency.rawValue) \(report.period?.key ?? "(no period yet)"): \(report.queued) queued, \(report.alreadyQueued) already queued, \(report.empty) with nothing new, of \(report.subscribers) subscribers"
        )
    }
}
