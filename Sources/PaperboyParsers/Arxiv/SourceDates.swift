public import Foundation
public import PaperboyModel

/// The date forms arXiv and Hugging Face write: ISO 8601 with or without time, offset and
/// fraction (`2025-03-12`, `2003-07-07T13:46:39-04:00`, `2025-02-17T18:59:59.000Z`) and the
/// RFC 2822 form of e-mail and RSS (`Mon, 2 Apr 2007 19:18:42 GMT`, `Mon, 06 Jan 2025 00:00:00 -0500`).
public enum SourceDates {
    /// The instant `text` names, or `nil`.
    public static func instant(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let first = text.utf8.first else { return nil }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return Self.iso8601(text) }
        return Self.rfc2822(text)
    }

    /// The calendar day `text` names as written, in its own time zone (an announcement at
    /// `2025-01-06T00:00:00-05:00` is on 6 January, not the 6th at 05:00 UTC… which is the same
    /// day, but `2025-01-06T23:00:00-05:00` must not become the 7th).
    public static func day(_ text: String) -> CalendarDay? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let first = text.utf8.first else { return nil }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            return try? CalendarDay(parsing: String(text.prefix(10)))
        }
        guard let parts = Self.rfc2822Parts(text) else { return nil }
        return CalendarDay(year: parts.year, month: parts.month, day: parts.day)
    }

    private static func iso8601(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = number(8, 2)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset = 0
        var index = 10
        if index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " ") {
            guard let h = number(11, 2), bytes.count > 16, bytes[13] == UInt8(ascii: ":"), let m = number(14, 2)
            else { return nil }
            hour = h
            minute = m
            index = 16
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard let s = number(17, 2) else { return nil }
                second = s
                index = 19
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                var scale = 0.1
                index += 1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "Z"): index += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                    guard let h = number(index + 1, 2) else { return nil }
                    var m = 0
                    if index + 3 < bytes.count {
                        let start = bytes[index + 3] == UInt8(ascii: ":") ? index + 4 : index + 3
                        guard let minutes = number(start, 2) else { return nil }
                        m = minutes
                        index = start + 2
                    } else {
                        index += 3
                    }
                    offset = sign * (h * 3600 + m * 60)
                default: return nil
                }
            }
            guard index == bytes.count else { return nil }
        } else if index != bytes.count {
            return nil
        }
        return Self.date(year, month, day, hour, minute, second, offset: offset).map {
            $0.addingTimeInterval(fraction)
        }
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private struct Parts {
        var year, month, day, hour, minute, second, offset: Int
    }

    private static func rfc2822Parts(_ text: String) -> Parts? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if let first = words.first, first.first?.isLetter == true { words.removeFirst() }
        guard words.count >= 3, let day = Int(words[0]),
            let month = Self.months.firstIndex(of: words[1].prefix(3).lowercased()), let year = Int(words[2])
        else { return nil }
        var parts = Parts(year: year, month: month + 1, day: day, hour: 0, minute: 0, second: 0, offset: 0)
        if words.count >= 4 {
            let time = words[3].split(separator: ":").compactMap { Int($0) }
            guard time.count >= 2 else { return nil }
            parts.hour = time[0]
            parts.minute = time[1]
            parts.second = time.count > 2 ? time[2] : 0
        }
        if words.count >= 5 {
            let zone = words[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                parts.offset = (sign == "-" ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
            } else if let named = ["GMT": 0, "UT": 0, "UTC": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5][zone] {
                parts.offset = named * 3600
            } else {
                return nil
            }
        }
        return parts
    }

    private static func rfc2822(_ text: String) -> Date? {
        guard let p = Self.rfc2822Parts(text) else { return nil }
        return Self.date(p.year, p.month, p.day, p.hour, p.minute, p.second, offset: p.offset)
    }

    private static func date(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, offset: Int
    )
        -> Date?
    {
        guard let calendarDay = CalendarDay(year: year, month: month, day: day), hour < 24, minute < 60, second < 61
        else { return nil }
        let seconds = calendarDay.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
