public import PaperboyModel

/// The stretch of time one digest covers: an announcement day (daily) or an ISO week (weekly).
public struct DigestPeriod: Sendable, Hashable, CustomStringConvertible {
    /// Daily or weekly.
    public let frequency: Subscription.Frequency
    /// The days covered.
    public let days: ClosedRange<CalendarDay>
    /// The outbox key, unique per frequency and stretch (`daily:2026-11-20`, `weekly:2026-W47`).
    public let key: String
    /// How subjects name it (`Thursday 20 November 2026`, `the week of 16 November 2026`).
    public let title: String

    /// A period by hand (tests, back-fills).
    public init(frequency: Subscription.Frequency, days: ClosedRange<CalendarDay>, key: String, title: String) {
        self.frequency = frequency
        self.days = days
        self.key = key
        self.title = title
    }

    /// The digest of one announcement day.
    public static func daily(_ day: CalendarDay) -> DigestPeriod {
        DigestPeriod(frequency: .daily, days: day...day, key: "daily:\(day)", title: Period.day(day).heading)
    }

    /// The digest of one ISO week.
    public static func weekly(_ week: Period) -> DigestPeriod {
        DigestPeriod(frequency: .weekly, days: week.days, key: "weekly:\(week)", title: week.heading)
    }

    /// The period a run on `today` mails: for daily digests the newest announcement day up to
    /// today (`latestDay`), for weekly ones the ISO week before today's; `nil` when there is no
    /// announcement day yet.
    public static func current(
        _ frequency: Subscription.Frequency, today: CalendarDay, latestDay: CalendarDay?
    ) -> DigestPeriod? {
        switch frequency {
        case .daily:
            guard let latestDay else { return nil }
            return .daily(min(latestDay, today))
        case .weekly:
            return .weekly(Period.week(containing: today).previous)
        }
    }

    public var description: String { self.key }
}
