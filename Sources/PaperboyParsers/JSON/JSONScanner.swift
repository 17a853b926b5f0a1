import Foundation

/// A fast, strict reader of one JSON value held in memory, for hot paths where decoding through
/// `Codable` would cost more than the rest of the work: the caller walks the value and takes
/// what it needs, skipping the rest.
///
/// Errors carry the byte offset, so a caller can report a column.
struct JSONScanner {
    /// What went wrong, and where (a byte offset from the start of the value's buffer).
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Calls `body` with each key of an object, positioned at the key's value; `body` must read
    /// or skip that value.
    mutating func object(
        _ body: (UnsafeBufferPointer<UInt8>, inout JSONScanner) throws(Failure) -> Void
    )
        throws(Failure)
    {
        try self.expect(UInt8(ascii: "{"), "expected an object")
        self.skipSpace()
        if self.peek() == UInt8(ascii: "}") {
            self.offset += 1
            return
        }
        while true {
            self.skipSpace()
            let key = try self.rawString()
            self.skipSpace()
            try self.expect(UInt8(ascii: ":"), "expected ':' after a key")
            self.skipSpace()
            try body(key, &self)
            self.skipSpace()
            guard let next = self.peek() else { throw self.failure("the object is not closed") }
            self.offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw self.failure(at: self.offset - 1, "expected ',' or '}'") }
        }
    }

    /// Calls `body` positioned at each element of an array.
    mutating func array(_ body: (inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try self.expect(UInt8(ascii: "["), "expected an array")
        self.skipSpace()
        if self.peek() == UInt8(ascii: "]") {
            self.offset += 1
            return
        }
        while true {
            self.skipSpace()
            try body(&self)
            self.skipSpace()
            guard let next = self.peek() else { throw self.failure("the array is not closed") }
            self.offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw self.failure(at: self.offset - 1, "expected ',' or ']'") }
        }
    }

    /// True (and consumed) when the next value is `null`.
    mutating func null() -> Bool {
        self.skipSpace()
        guard self.offset + 4 <= self.bytes.count, self.bytes[self.offset] == UInt8(ascii: "n"),
            self.bytes[self.offset + 1] == UInt8(ascii: "u"), self.bytes[self.offset + 2] == UInt8(ascii: "l"),
            self.bytes[self.offset + 3] == UInt8(ascii: "l")
        else { return false }
        self.offset += 4
        return true
    }

    /// A string value, or `nil` for `null`.
    mutating func optionalString() throws(Failure) -> String? {
        if self.null() { return nil }
        return try self.string()
    }

    /// The bytes of a string value that has no escapes (dates, codes), without making a `String`;
    /// `nil` for `null`. A string with escapes is an error here: call ``string()`` for those.
    mutating func optionalRawString() throws(Failure) -> UnsafeBufferPointer<UInt8>? {
        if self.null() { return nil }
        self.skipSpace()
        let start = self.offset
        let raw = try self.rawString()
        if raw.contains(UInt8(ascii: "\\")) { throw self.failure(at: start, "an escape where none is expected") }
        return raw
    }

    /// A string value, escapes decoded.
    mutating func string() throws(Failure) -> String {
        self.skipSpace()
        guard self.peek() == UInt8(ascii: "\"") else { throw self.failure("expected a string") }
        let start = self.offset + 1
        var index = start
        let count = self.bytes.count
        while index < count {
            let byte = self.bytes[index]
            if byte == UInt8(ascii: "\"") {
                self.offset = index + 1
                return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try self.escapedString(from: start, firstEscape: index) }
            if byte < 0x20 { throw self.failure(at: index, "a control character inside a string") }
            index += 1
        }
        throw self.failure(at: start - 1, "the string is not closed")
    }

    /// A string value read straight into its tidy form: escapes decoded, runs of white space
    /// (line breaks included) one space, the ends trimmed, control characters dropped, the same as
    /// ``TextCleaner/collapseWhitespace(_:)`` of ``string()`` but in one pass; `nil` for `null`.
    ///
    /// - Parameter scratch: working space at least as long as the rest of the buffer.
    mutating func optionalCollapsedString(scratch: UnsafeMutableBufferPointer<UInt8>) throws(Failure) -> String? {
        if self.null() { return nil }
        self.skipSpace()
        guard self.peek() == UInt8(ascii: "\"") else { throw self.failure("expected a string") }
        let quote = self.offset
        let input = self.bytes
        let count = input.count
        var written = 0
        var pendingSpace = false
        var index = quote + 1
        let base = input.baseAddress!
        let output = scratch.baseAddress!
        while index < count {
            // Eight plain bytes at a time (printable ASCII, single spaces) when nothing is pending.
            if !pendingSpace, index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if Self.isPlain(word, afterSpace: written == 0 || output[written - 1] == 0x20) {
                    UnsafeMutableRawPointer(output + written).storeBytes(of: word, as: UInt64.self)
                    written += 8
                    index += 8
                    continue
                }
            }
            var byte = input[index]
            index += 1
            if byte &- 0x21 < 0x5E, byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                // Printable ASCII other than a space: the common case.
            } else if byte == UInt8(ascii: "\"") {
                self.offset = index
                if written > 0, output[written - 1] == 0x20 { written -= 1 }
                return String(decoding: UnsafeBufferPointer(start: output, count: written), as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                guard index < count else { break }
                let escape = input[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"):
                    pendingSpace = true
                    continue
                case UInt8(ascii: "b"), UInt8(ascii: "f"):
                    continue
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    byte = escape
                default:
                    // \u escapes and anything odd: the general path decodes and checks them.
                    return try self.collapsedSlowly(from: quote)
                }
            } else if byte == 0x20 {
                pendingSpace = true
                continue
            } else if byte < 0x20 {
                throw self.failure(at: index - 1, "a control character inside a string")
            } else if byte == 0x7F {
                continue
            } else if byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 {
                // Possibly non-ASCII white space or a control: the general path sorts it out.
                let next = index < count ? input[index] : 0
                let third = index + 1 < count ? input[index + 1] : 0
                let special =
                    (byte == 0xC2 && next <= 0xA0) || (byte == 0xE1 && next == 0x9A && third == 0x80)
                    || (byte == 0xE2 && next == 0x80
                        && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF))
                    || (byte == 0xE2 && next == 0x81 && third == 0x9F)
                    || (byte == 0xE3 && next == 0x80 && third == 0x80)
                if special { return try self.collapsedSlowly(from: quote) }
            }
            if pendingSpace {
                if written > 0, output[written - 1] != 0x20 {
                    output[written] = 0x20
                    written += 1
                }
                pendingSpace = false
            }
            output[written] = byte
            written += 1
        }
        throw self.failure(at: quote, "the string is not closed")
    }

    /// Whether eight bytes can be copied as they are into a collapsed string: printable ASCII and
    /// single spaces only, and no space first when the output is empty or ends in a space
    /// (bit tricks on the word; bytes in memory order, little-endian).
    @inline(__always)
    private static func isPlain(_ word: UInt64, afterSpace: Bool) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        guard word & high == 0 else { return false }
        /// The high bit of each byte equal to `byte`, exactly (no carries between bytes).
        func equal(_ pattern: UInt64) -> UInt64 {
            let x = word ^ pattern
            return ~(((x & low) &+ low) | x) & high
        }
        let control = ~(word &+ 0x6060_6060_6060_6060) & high
        let odd = equal(0x2222_2222_2222_2222) | equal(0x5C5C_5C5C_5C5C_5C5C) | equal(0x7F7F_7F7F_7F7F_7F7F)
        guard control | odd == 0 else { return false }
        let spaces = equal(0x2020_2020_2020_2020)
        guard spaces & (spaces << 8) == 0 else { return false }
        return !(afterSpace && spaces & 0x80 != 0)
    }

    private mutating func collapsedSlowly(from quote: Int) throws(Failure) -> String {
        self.offset = quote
        return TextCleaner.collapseWhitespace(try self.string())
    }

    /// A number value as an integer.
    mutating func integer() throws(Failure) -> Int {
        self.skipSpace()
        let start = self.offset
        var negative = false
        if self.peek() == UInt8(ascii: "-") {
            negative = true
            self.offset += 1
        }
        var value = 0
        var digits = 0
        while let byte = self.peek(), byte >= 48, byte <= 57 {
            value = value &* 10 &+ Int(byte - 48)
            digits += 1
            self.offset += 1
        }
        guard digits > 0, digits < 19 else { throw self.failure(at: start, "expected an integer") }
        if let byte = self.peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            try self.skipValue(from: start)
        }
        return negative ? -value : value
    }

    /// Skips any value and returns where it was, to read later only if needed.
    mutating func skipValueReturningRange() throws(Failure) -> Range<Int> {
        self.skipSpace()
        let start = self.offset
        try self.skipValue(from: start)
        return start..<self.offset
    }

    /// Skips any value.
    mutating func skipValue() throws(Failure) {
        self.skipSpace()
        try self.skipValue(from: self.offset)
    }

    /// Fails unless only white space is left.
    mutating func end() throws(Failure) {
        self.skipSpace()
        if self.offset < self.bytes.count { throw self.failure("unexpected text after the value") }
    }

    // MARK: Helpers

    private mutating func skipValue(from start: Int) throws(Failure) {
        self.offset = start
        guard let byte = self.peek() else { throw self.failure("expected a value") }
        switch byte {
        case UInt8(ascii: "{"): try self.object { _, scanner throws(Failure) in try scanner.skipValue() }
        case UInt8(ascii: "["): try self.array { scanner throws(Failure) in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try self.rawString()
        case UInt8(ascii: "t"): try self.literal("true")
        case UInt8(ascii: "f"): try self.literal("false")
        case UInt8(ascii: "n"): try self.literal("null")
        case UInt8(ascii: "-"), 48...57:
            self.offset += 1
            while let next = self.peek(),
                (48...57).contains(next) || next == UInt8(ascii: ".") || next == UInt8(ascii: "e")
                    || next == UInt8(ascii: "E") || next == UInt8(ascii: "+") || next == UInt8(ascii: "-")
            {
                self.offset += 1
            }
        default: throw self.failure("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let length = word.utf8CodeUnitCount
        guard self.offset + length <= self.bytes.count,
            memcmp(self.bytes.baseAddress! + self.offset, word.utf8Start, length) == 0
        else { throw self.failure("expected \(word)") }
        self.offset += length
    }

    /// The bytes of a string without escapes decoded (for keys, which never need them here).
    private mutating func rawString() throws(Failure) -> UnsafeBufferPointer<UInt8> {
        guard self.peek() == UInt8(ascii: "\"") else { throw self.failure("expected a string") }
        let start = self.offset + 1
        var index = start
        while index < self.bytes.count {
            let byte = self.bytes[index]
            if byte == UInt8(ascii: "\"") {
                self.offset = index + 1
                return UnsafeBufferPointer(rebasing: self.bytes[start..<index])
            }
            if byte == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        throw self.failure(at: start - 1, "the string is not closed")
    }

    private mutating func escapedString(from start: Int, firstEscape: Int) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(firstEscape - start + 64)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[start..<firstEscape]))
        var index = firstEscape
        let count = self.bytes.count
        while index < count {
            let byte = self.bytes[index]
            if byte == UInt8(ascii: "\"") {
                self.offset = index + 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte < 0x20 { throw self.failure(at: index, "a control character inside a string") }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < count else { break }
            let escape = self.bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = self.hex4(at: index) else { throw self.failure(at: index - 2, "a bad \\u escape") }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= count, self.bytes[index] == UInt8(ascii: "\\"),
                    self.bytes[index + 1] == UInt8(ascii: "u"), let low = self.hex4(at: index + 2),
                    (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(value)).utf8)
            default: throw self.failure(at: index - 2, "a bad escape")
            }
        }
        throw self.failure(at: start - 1, "the string is not closed")
    }

    private func hex4(at index: Int) -> UInt32? {
        guard index + 4 <= self.bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in self.bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func peek() -> UInt8? {
        self.offset < self.bytes.count ? self.bytes[self.offset] : nil
    }

    private mutating func skipSpace() {
        while self.offset < self.bytes.count {
            switch self.bytes[self.offset] {
            case 0x20, 0x09, 0x0A, 0x0D: self.offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws(Failure) {
        guard self.peek() == byte else { throw self.failure(reason) }
        self.offset += 1
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: self.offset, reason: reason)
    }

    private func failure(at offset: Int, _ reason: String) -> Failure {
        Failure(offset: offset, reason: reason)
    }
}

/// Compares a key's bytes with a literal.
func keyEquals(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
    key.count == literal.utf8CodeUnitCount && memcmp(key.baseAddress!, literal.utf8Start, key.count) == 0
}
