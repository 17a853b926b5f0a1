/// HTML helpers for the few fragments built in Swift rather than in templates.
enum HTML {
    /// `text` with `& < > " '` escaped, safe inside elements and quoted attributes.
    static func escape(_ text: String) -> String {
        let special: (UInt8) -> Bool = { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        guard text.utf8.contains(where: special) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The start of `text`, cut at a word boundary near `maxCharacters`, escaped, with an ellipsis if cut.
    /// (Counted in Unicode scalars, which is what matters for length and is far cheaper than
    /// grapheme clusters.)
    static func excerpt(_ text: String, maxCharacters: Int) -> String {
        let scalars = text.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: maxCharacters, limitedBy: scalars.endIndex),
            end < scalars.endIndex
        else { return self.escape(text) }
        var cut = Substring(scalars[..<end])
        if let space = cut.lastIndex(of: " ") { cut = cut[..<space] }
        return self.escape(String(cut)) + " …"
    }

    /// Where `needle` first occurs in `bytes` at or after `from`.
    static func firstRange(of needle: some Collection<UInt8>, in bytes: [UInt8], from: Int = 0) -> Range<Int>? {
        let needle = Array(needle)
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) {
                return index..<index + needle.count
            }
            index += 1
        }
        return nil
    }

    /// Where `needle` first occurs in `bytes` at or after `from`.
    static func firstRange(of needle: String, in bytes: [UInt8], from: Int = 0) -> Range<Int>? {
        self.firstRange(of: needle.utf8, in: bytes, from: from)
    }
}
