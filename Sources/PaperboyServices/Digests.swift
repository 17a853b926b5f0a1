public import Foundation
public import PaperboyModel
public import PaperboyStore

/// A digest run's first half: compose the period's digest for every active subscriber of a
/// frequency and write each to the outbox (the sender does the rest). Running it again for the
/// same period writes nothing new: the outbox holds one digest per subscriber and period.
public struct Digests: Sendable {
    /// What a run did (or, dry, would do).
    public struct Report: Sendable {
        /// The period mailed; `nil` when there is none yet (no announcement day).
        public var period: DigestPeriod?
        /// Active subscribers of the frequency.
        public var subscribers = 0
        /// Digests written to the outbox now.
        public var queued = 0
        /// Subscribers who already had this period's digest.
        public var alreadyQueued = 0
        /// Subscribers with nothing new to mail.
        public var empty = 0
        /// The digests composed (kept only for dry runs).
        public var digests: [DigestComposer.Digest] = []

        /// An empty report.
        public init() {}
    }

    /// The composer.
    public let composer: DigestComposer
    let lists: PaperLists

    /// Creates the use case.
    public init(composer: DigestComposer, lists: PaperLists) {
        self.composer = composer
        self.lists = lists
    }

    /// The period a run on `today` mails.
    public func period(_ frequency: Subscription.Frequency, today: CalendarDay) async throws -> DigestPeriod? {
        DigestPeriod.current(frequency, today: today, latestDay: try await self.lists.latestDay(onOrBefore: today))
    }

    /// Composes and queues the digests of `frequency` for the period of `today` (or `period`).
    public func enqueue(
        _ frequency: Subscription.Frequency, today: CalendarDay, period: DigestPeriod? = nil, dryRun: Bool = false,
        sendEmpty: Bool = false, now: Date = Date()
    ) async throws -> Report {
        var report = Report()
        guard let period = try await self.resolve(period, frequency, today: today) else { return report }
        report.period = period
        let store = self.composer.subscriptions.store
        let subscribers = try await store.activeSubscriptions(frequency: frequency)
        report.subscribers = subscribers.count
        let trending = try await self.composer.trending(period, today: today)
        for subscription in subscribers {
            if try await store.outboxMail(subscriptionID: subscription.id, period: period.key) != nil {
                report.alreadyQueued += 1
                continue
            }
            guard
                let digest = try await self.composer.compose(
                    subscription, period: period, trending: trending, today: today, sendEmpty: sendEmpty, now: now)
            else {
                report.empty += 1
                continue
            }
            if dryRun {
                report.digests.append(digest)
                report.queued += 1
            } else if try await store.enqueue(digest.draft, at: now) != nil {
                report.queued += 1
            } else {
                report.alreadyQueued += 1
            }
        }
        return report
    }

    /// Queues the period's digests while `sender` sends them, so that the two overlap.
    public func enqueueAndSend(
        _ frequency: Subscription.Frequency, today: CalendarDay, sender: DigestSender, sendEmpty: Bool = false,
        now: Date = Date()
    ) async throws -> (queued: Report, sent: DigestSender.Report) {
        let producing = SharedFlag(true)
        async let sent = sender.run(producing: { producing.isSet })
        let queued: Report
        do {
            queued = try await self.enqueue(frequency, today: today, sendEmpty: sendEmpty, now: now)
        } catch {
            producing.set(false)
            _ = try? await sent
            throw error
        }
        producing.set(false)
        return (queued, try await sent)
    }

    /// The digest `email` would get next, written nowhere: its subscription's preferences, or a
    /// daily subscription's defaults for an address that has none.
    public func preview(
        email: EmailAddress, frequency: Subscription.Frequency? = nil, today: CalendarDay, now: Date = Date()
    ) async throws -> DigestComposer.Digest? {
        var subscription =
            try await self.composer.subscriptions.store.subscription(email: email)
            ?? Subscription(id: 0, email: email, frequency: frequency ?? .daily, status: .active, created: now)
        if let frequency { subscription.frequency = frequency }
        guard let period = try await self.resolve(nil, subscription.frequency, today: today) else { return nil }
        let trending = try await self.composer.trending(period, today: today)
        return try await self.composer.compose(
            subscription, period: period, trending: trending, today: today, sendEmpty: true, now: now)
    }

    private func resolve(
        _ period: DigestPeriod?, _ frequency: Subscription.Frequency, today: CalendarDay
    ) async throws -> DigestPeriod? {
        if let period { return period }
        return try await self.period(frequency, today: today)
    }
}
