import Foundation

/// Splits text into words: runs of letters, digits and combining marks. Each word comes out
/// lower-cased and folded (NFKD, marks dropped, ß as ss, so "Über" → "uber" and "ﬁ" → "fi"),
/// with its byte range in the UTF-8 of the text.
public enum Tokenizer {
    /// Calls `body` with each word and its byte range.
    public static func words(in text: String, _ body: (String, Range<Int>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var word: [UInt8] = []
            word.reserveCapacity(32)
            var start = -1
            var foreign = false
            var i = 0
            let count = bytes.count

            func flush(_ end: Int) {
                guard start >= 0 else { return }
                if foreign {
                    let folded = Self.fold(String(decoding: word, as: UTF8.self))
                    if !folded.isEmpty { body(folded, start..<end) }
                } else {
                    body(String(decoding: word, as: UTF8.self), start..<end)
                }
                word.removeAll(keepingCapacity: true)
                start = -1
                foreign = false
            }

            while i < count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                        if start < 0 { start = i }
                        word.append(byte)
                    } else if byte >= 0x41 && byte <= 0x5A {
                        if start < 0 { start = i }
                        word.append(byte + 32)
                    } else {
                        flush(i)
                    }
                    i += 1
                    continue
                }
                // A multi-byte scalar: decode it and ask Unicode what it is.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                let end = min(i + length, count)
                let scalarText = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
                let scalar = scalarText.unicodeScalars.first!
                let properties = scalar.properties
                let category = properties.generalCategory
                if properties.isAlphabetic || properties.numericType != nil || category == .nonspacingMark
                    || category == .spacingMark || category == .enclosingMark
                {
                    if start < 0 { start = i }
                    word.append(contentsOf: bytes[i..<end])
                    foreign = true
                } else {
                    flush(i)
                }
                i = end
            }
            flush(count)
        }
    }

    /// NFKD, combining marks removed, lower case.
    static func fold(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in word.decomposedStringWithCompatibilityMapping.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .nonspacingMark || category == .spacingMark || category == .enclosingMark { continue }
            if scalar.isASCII {
                let value = scalar.value
                if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) {
                    out.append(scalar)
                } else if value >= 0x41 && value <= 0x5A {
                    out.append(Unicode.Scalar(value + 32)!)
                }
                // Other ASCII from a compatibility mapping (e.g. "½" → "1⁄2") separates nothing here.
            } else if scalar == "ß" || scalar == "ẞ" {
                out.append(contentsOf: "ss".unicodeScalars)  // case folding, as NFKD leaves it
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }
}
