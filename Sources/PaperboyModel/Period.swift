/// A span of announcement days a list covers: one day, an ISO 8601 week (Monday to Sunday) or a
/// calendar month. Written `2025-02-24`, `2025-W09` or `2025-02`.
public enum Period: Hashable, Sendable, CustomStringConvertible {
    /// One day.
    case day(CalendarDay)
    /// The ISO week `week` of the ISO week-numbering year `year`.
    case week(year: Int, week: Int)
    /// A calendar month.
    case month(year: Int, month: Int)

    /// Parses an ISO week such as `2025-W09`.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidPeriod`` naming the text.
    public static func week(parsing text: some StringProtocol) throws(ModelError) -> Period {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...9999).contains(year),
            parts[1].count == 3, parts[1].first == "W", let week = Int(parts[1].dropFirst())
        else {
            throw ModelError(.invalidPeriod, "\"\(text)\" is not an ISO week of the form YYYY-Www, such as 2025-W09")
        }
        let weeks = Self.weeksInYear(year)
        guard (1...weeks).contains(week) else {
            throw ModelError(
                .invalidPeriod, "\"\(text)\": \(year) has weeks W01–W\(weeks), not W\(parts[1].dropFirst())")
        }
        return .week(year: year, week: week)
    }

    /// Parses a month such as `2025-02`.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidPeriod`` naming the text.
    public static func month(parsing text: some StringProtocol) throws(ModelError) -> Period {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...9999).contains(year)
        else {
            throw ModelError(.invalidPeriod, "\"\(text)\" is not a month of the form YYYY-MM, such as 2025-02")
        }
        guard (1...12).contains(month) else {
            throw ModelError(.invalidPeriod, "\"\(text)\": month \(parts[1]) is not 01–12")
        }
        return .month(year: year, month: month)
    }

    /// The week that contains `day`.
    public static func week(containing day: CalendarDay) -> Period {
        // The ISO year is the year of the week's Thursday.
        let thursday = day.adding(days: 4 - day.isoWeekday)
        let first = Self.mondayOfWeekOne(thursday.year)
        return .week(year: thursday.year, week: (day.daysSinceEpoch - first.daysSinceEpoch) / 7 + 1)
    }

    /// The month that contains `day`.
    public static func month(containing day: CalendarDay) -> Period {
        .month(year: day.year, month: day.month)
    }

    /// The first and last day the period covers.
    public var days: ClosedRange<CalendarDay> {
        switch self {
        case .day(let day):
            return day...day
        case .week(let year, let week):
            let monday = Self.mondayOfWeekOne(year).adding(days: (week - 1) * 7)
            return monday...monday.adding(days: 6)
        case .month(let year, let month):
            let first = CalendarDay(year: year, month: month, day: 1)!
            return first...CalendarDay(year: year, month: month, day: CalendarDay.daysInMonth(month, of: year))!
        }
    }

    /// The period just before this one.
    public var previous: Period { self.shifted(by: -1) }

    /// The period just after this one.
    public var next: Period { self.shifted(by: 1) }

    private func shifted(by step: Int) -> Period {
        switch self {
        case .day(let day):
            return .day(day.adding(days: step))
        case .week:
            return Self.week(containing: self.days.lowerBound.adding(days: 7 * step))
        case .month(let year, let month):
            let index = year * 12 + (month - 1) + step
            return .month(year: index / 12, month: index % 12 + 1)
        }
    }

    /// How it is written in a URL: `2025-02-24`, `2025-W09`, `2025-02`.
    public var description: String {
        switch self {
        case .day(let day): return day.description
        case .week(let year, let week): return "\(Self.padded(year, 4))-W\(Self.padded(week, 2))"
        case .month(let year, let month): return "\(Self.padded(year, 4))-\(Self.padded(month, 2))"
        }
    }

    /// A heading for people: `Feb 24, 2025`, `Week 9, 2025`, `February 2025`.
    public var heading: String {
        switch self {
        case .day(let day): return "\(day.shortHeading), \(day.year)"
        case .week(let year, let week): return "Week \(week), \(year)"
        case .month(let year, let month): return "\(CalendarDay.monthNames[month - 1]) \(year)"
        }
    }

    /// How many ISO weeks `year` has: 53 when it starts on a Thursday, or on a Wednesday in a
    /// leap year; else 52.
    public static func weeksInYear(_ year: Int) -> Int {
        let first = CalendarDay(year: year, month: 1, day: 1)!.isoWeekday
        let leap = CalendarDay.daysInMonth(2, of: year) == 29
        return first == 4 || (leap && first == 3) ? 53 : 52
    }

    /// The Monday of ISO week 1: the week that holds the year's first Thursday (and January 4).
    private static func mondayOfWeekOne(_ year: Int) -> CalendarDay {
        let fourth = CalendarDay(year: year, month: 1, day: 4)!
        return fourth.adding(days: 1 - fourth.isoWeekday)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
