public import Foundation
public import PaperboyModel

/// The date forms arXiv and Hugging Face write: ISO 8601 with or without time, offset and
/// fraction (`2025-03-12`, `2003-07-07T13:46:39-04:00`, `2025-02-17T18:59:59.000Z`) and the
/// RFC 2822 form of e-mail and RSS (`Mon, 2 Apr 2007 19:18:42 GMT`, `Mon, 06 Jan 2025 00:00:00 -0500`).
public enum SourceDates {
    /// The instant `text` names, or `nil`.
    public static func instant(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { Self.instant($0) }
    }

    /// The instant the UTF-8 `bytes` name, or `nil`.
    public static func instant(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        let trimmed = Self.trim(bytes)
        guard let first = trimmed.first else { return nil }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return Self.iso8601(trimmed) }
        guard let p = Self.rfc2822Parts(trimmed) else { return nil }
        return Self.date(p.year, p.month, p.day, p.hour, p.minute, p.second, offset: p.offset)
    }

    /// The calendar day `text` names as written, in its own time zone (an announcement at
    /// `2025-01-06T23:00:00-05:00` is on the 6th, though it is the 7th in UTC).
    public static func day(_ text: String) -> CalendarDay? {
        var text = text
        return text.withUTF8 { bytes -> CalendarDay? in
            let trimmed = Self.trim(bytes)
            guard let first = trimmed.first else { return nil }
            if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
                guard Self.iso8601(trimmed) != nil, let year = Self.number(trimmed, 0, 4),
                    let month = Self.number(trimmed, 5, 2), let day = Self.number(trimmed, 8, 2)
                else { return nil }
                return CalendarDay(year: year, month: month, day: day)
            }
            guard let parts = Self.rfc2822Parts(trimmed) else { return nil }
            return CalendarDay(year: parts.year, month: parts.month, day: parts.day)
        }
    }

    private static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 || bytes[lower] == 0x0A { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0A {
            upper -= 1
        }
        return UnsafeBufferPointer(rebasing: bytes[lower..<upper])
    }

    /// The decimal number of `count` digits at `start`, or `nil`.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= bytes.count else { return nil }
        var value = 0
        for index in start..<start + count {
            let byte = bytes[index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func iso8601(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        func number(_ start: Int, _ count: Int) -> Int? { Self.number(bytes, start, count) }
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
            guard let h = number(11, 2), bytes.count > 15, bytes[13] == UInt8(ascii: ":"), let m = number(14, 2)
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

    private struct Parts {
        var year, month, day, hour, minute, second, offset: Int
    }

    /// `Mon, 2 Apr 2007 19:18:42 GMT`, `06 Jan 2025 00:00:00 -0500`: an optional weekday, the day,
    /// the month's name, the year, an optional time and zone. Read on bytes: the bulk snapshot has
    /// millions of them.
    private static func rfc2822Parts(_ bytes: UnsafeBufferPointer<UInt8>) -> Parts? {
        var index = 0
        let count = bytes.count
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        func skipSpaces() {
            while index < count, bytes[index] == 0x20 || bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        func digits(max: Int) -> Int? {
            var value = 0
            var read = 0
            while index < count, read < max, isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                read += 1
            }
            return read == 0 ? nil : value
        }
        skipSpaces()
        if index < count, isLetter(bytes[index]) {
            while index < count, isLetter(bytes[index]) { index += 1 }
            skipSpaces()
        }
        guard let day = digits(max: 2) else { return nil }
        skipSpaces()
        guard index + 3 <= count else { return nil }
        let name = (Int(bytes[index] | 0x20) << 16) | (Int(bytes[index + 1] | 0x20) << 8) | Int(bytes[index + 2] | 0x20)
        guard let month = Self.monthCodes.firstIndex(of: name) else { return nil }
        while index < count, isLetter(bytes[index]) { index += 1 }
        skipSpaces()
        guard let year = digits(max: 4) else { return nil }
        var parts = Parts(year: year, month: month + 1, day: day, hour: 0, minute: 0, second: 0, offset: 0)
        skipSpaces()
        guard index < count else { return parts }
        guard let hour = digits(max: 2), index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        guard let minute = digits(max: 2) else { return nil }
        parts.hour = hour
        parts.minute = minute
        if index < count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let second = digits(max: 2) else { return nil }
            parts.second = second
        }
        skipSpaces()
        guard index < count else { return parts }
        let zone = UnsafeBufferPointer(rebasing: bytes[index...])
        if zone.count == 5, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"),
            let value = Self.number(zone, 1, 4)
        {
            parts.offset = (zone[0] == UInt8(ascii: "-") ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
        } else if let named = Self.zones[String(decoding: zone, as: UTF8.self)] {
            parts.offset = named * 3600
        } else {
            return nil
        }
        return parts
    }

    private static let monthCodes: [Int] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .map { name in name.utf8.reduce(0) { $0 << 8 | Int($1) } }

    private static let zones = [
        "GMT": 0, "UT": 0, "UTC": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8, "PDT": -7,
    ]

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
