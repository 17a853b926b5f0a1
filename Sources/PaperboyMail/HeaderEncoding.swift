/// The encodings a message needs: RFC 2047 encoded words for non-ASCII header text, quoted
/// strings for display names with specials, and quoted-printable (RFC 2045 §6.7) for bodies.
enum HeaderEncoding {
    /// Characters allowed unquoted in a phrase (RFC 5322 `atext` plus the space between words).
    private static let atext = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~ ".utf8)

    /// Unstructured header text (a subject): as it is when it is printable ASCII, else as UTF-8
    /// encoded words; folded so that no line passes 78 characters where it can be helped.
    static func unstructured(_ text: String, nameLength: Int) -> String {
        if Self.isPlainASCII(text) { return Self.foldWords(text, firstLineUsed: nameLength + 2) }
        return Self.encodedWords(text)
    }

    /// A display name: as it is, quoted, or encoded.
    static func phrase(_ text: String) -> String {
        guard Self.isPlainASCII(text) else { return Self.encodedWords(text) }
        if text.utf8.allSatisfy({ Self.atext.contains($0) }) { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// True for printable ASCII (and tabs) with no `=?` that a reader could take for an encoded word.
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 } && !text.contains("=?")
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, split between characters, joined by
    /// folding white space.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Folds ASCII text at spaces so lines stay within 78 characters where words allow.
    static func foldWords(_ text: String, firstLineUsed: Int) -> String {
        var out = ""
        var lineLength = firstLineUsed
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                if lineLength + 1 + word.count > 78, lineLength > 1 {
                    out += "\r\n "
                    lineLength = 1
                } else {
                    out += " "
                    lineLength += 1
                }
            }
            out += word
            lineLength += word.count
        }
        return out
    }

    /// Quoted-printable: CRLF line ends (from LF, CRLF or CR), `=XX` for bytes outside printable
    /// ASCII and for `=`, trailing white space encoded, soft breaks keeping every line within 76
    /// characters.
    static func quotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 10, previousCR {
                previousCR = false
                continue
            }
            previousCR = byte == 13
            if byte == 10 || byte == 13 {
                Self.encodeLine(line, into: &out)
                out += [13, 10]
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        Self.encodeLine(line, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// One line of quoted-printable with soft breaks.
    private static func encodeLine(_ bytes: [UInt8], into out: inout [UInt8]) {
        var lineLength = 0
        let count = bytes.count
        for index in 0..<count {
            let byte = bytes[index]
            let isLast = index == count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
            let width = literal ? 1 : 3
            // Leave room for a soft break "=" unless this is the line's last piece.
            if lineLength + width > (isLast ? 76 : 75) {
                out += [61, 13, 10]
                lineLength = 0
            }
            if literal {
                out.append(byte)
            } else {
                out += [61, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 15)]]
            }
            lineLength += width
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), for encoded words and AUTH.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(Self.alphabet[Int((n >> 18) & 63)])
            out.append(Self.alphabet[Int((n >> 12) & 63)])
            out.append(index + 1 < bytes.count ? Self.alphabet[Int((n >> 6) & 63)] : 61)
            out.append(index + 2 < bytes.count ? Self.alphabet[Int(n & 63)] : 61)
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 where byte != 61 {
            guard let value = Self.alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(value))
        }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            guard chunk.count > 1 else { return nil }
            var n: UInt32 = 0
            for (offset, value) in chunk.enumerated() { n |= value << UInt32(18 - 6 * offset) }
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if chunk.count > 2 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
            if chunk.count > 3 { out.append(UInt8(truncatingIfNeeded: n)) }
            index += 4
        }
        return out
    }
}
