/// HTML helpers for the few fragments built in Swift rather than in templates.
enum HTML {
    /// `text` with `& < > " '` escaped, safe inside elements and quoted attributes.
    static func escape(_ text: String) -> String {
        var text = text
        // Over the contiguous UTF-8 bytes: count what grows, then write once (no per-byte appends,
        // no re-validation of a byte array).
        let escaped = text.withUTF8 { bytes -> String? in
            var extra = 0
            for byte in bytes {
                switch byte {
                case 0x26: extra += 4  // &amp;
                case 0x3C, 0x3E: extra += 3  // &lt; &gt;
                case 0x22, 0x27: extra += 5  // &quot; &#39;
                default: break
                }
            }
            guard extra > 0 else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count + extra) { out in
                var at = 0
                func put(_ literal: StaticString) {
                    literal.withUTF8Buffer {
                        for byte in $0 {
                            out[at] = byte
                            at += 1
                        }
                    }
                }
                for byte in bytes {
                    switch byte {
                    case 0x26: put("&amp;")
                    case 0x3C: put("&lt;")
                    case 0x3E: put("&gt;")
                    case 0x22: put("&quot;")
                    case 0x27: put("&#39;")
                    default:
                        out[at] = byte
                        at += 1
                    }
                }
                return at
            }
        }
        return escaped ?? text
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
