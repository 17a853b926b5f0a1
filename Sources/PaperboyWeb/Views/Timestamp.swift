import Foundation
import PaperboyModel

/// Timestamps as Hugging Face's API writes them: ISO 8601 in UTC with milliseconds,
/// `2025-03-12T00:00:00.000Z`.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int(
            totalMilliseconds >= 0 ? totalMilliseconds / 86_400_000 : (totalMilliseconds - 86_399_999) / 86_400_000)
        let millisecondOfDay = Int(totalMilliseconds - Int64(days) * 86_400_000)
        let day = CalendarDay(daysSinceEpoch: days)
        let hours = millisecondOfDay / 3_600_000
        let minutes = millisecondOfDay / 60_000 % 60
        let seconds = millisecondOfDay / 1000 % 60
        let milliseconds = millisecondOfDay % 1000
        return "\(day)T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(milliseconds, 3))Z"
    }

    static func iso8601(_ day: CalendarDay) -> String {
        "\(day)T00:00:00.000Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
