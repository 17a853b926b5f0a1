public import Foundation

extension CalendarDay {
    /// The day on which `date` falls in `timeZone` (UTC by default).
    public init(_ date: Date, in timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        self.init(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    /// Today in `timeZone` (UTC by default).
    public static func today(in timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!) -> CalendarDay {
        CalendarDay(Date(), in: timeZone)
    }

    /// Midnight UTC at the start of this day.
    public var startOfDayUTC: Date {
        Date(timeIntervalSince1970: TimeInterval(self.daysSinceEpoch) * 86_400)
    }
}
