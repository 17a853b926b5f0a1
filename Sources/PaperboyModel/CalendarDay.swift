/// A day of the proleptic Gregorian calendar with no time of day and no time zone, such as an
/// arXiv announcement day. Written `YYYY-MM-DD`.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// Creates a day, or returns `nil` when the three numbers are not a real date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(month, of: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; also accepts a longer ISO 8601 timestamp and keeps its date part.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidDay``.
    public init(parsing text: some StringProtocol) throws(ModelError) {
        let utf8 = Array(text.utf8.prefix(10))
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard i < utf8.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[i]) else { return nil }
                value = value * 10 + Int(utf8[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else {
            throw ModelError(.invalidDay, "\"\(text)\" is not a date of the form YYYY-MM-DD")
        }
        guard let value = CalendarDay(year: year, month: month, day: day) else {
            throw ModelError(.invalidDay, "\"\(text)\" is not a real date")
        }
        self = value
    }

    /// Creates the day that is `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = self.month <= 2 ? self.year - 1 : self.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = self.month > 2 ? self.month - 3 : self.month + 9
        let doy = (153 * mp + 2) / 5 + self.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: self.daysSinceEpoch + count)
    }

    /// The day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        let days = self.daysSinceEpoch  // 1970-01-01 was a Thursday (4).
        return ((days % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        Self.pad(self.year, 4) + "-" + Self.pad(self.month, 2) + "-" + Self.pad(self.day, 2)
    }

    /// The month's English name, e.g. "March".
    public var monthName: String { Self.monthNames[self.month - 1] }

    /// A heading like the listing pages' own, e.g. "Mar 12".
    public var shortHeading: String { "\(self.monthName.prefix(3)) \(self.day)" }

    /// A heading for a page, e.g. "Thursday, March 12, 2026".
    public var longHeading: String {
        "\(Self.weekdayNames[self.isoWeekday - 1]), \(self.monthName) \(self.day), \(self.year)"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// English month names, January first.
    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// The number of days in a month of a year.
    public static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension CalendarDay: TextCodable {
    public init(parsingText text: String) throws {
        try self.init(parsing: text)
    }

    public var text: String { self.description }
}
