/// Tidies text from sources: white space runs (newlines and tabs included) become one space,
/// control characters go, and the ends are trimmed.
public enum TextCleaner {
    /// `text` with white space collapsed and control characters removed.
    public static func collapseWhitespace(_ text: String) -> String {
        if Self.isClean(text) { return text }
        if let fast = Self.collapseASCIIWhitespace(text) { return fast }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
            } else if scalar.properties.generalCategory == .control {
                continue
            } else {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The common untidy case on bytes: ASCII white space and controls only (abstracts with line
    /// breaks and indents). `nil` when the text has non-ASCII white space or controls.
    private static func collapseASCIIWhitespace(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            let count = bytes.count
            guard count > 0, let input = bytes.baseAddress else { return "" }
            var fallBack = false
            let result = String(unsafeUninitializedCapacity: count) { output -> Int in
                var written = 0
                var pendingSpace = false
                var index = 0
                while index < count {
                    let byte = input[index]
                    if byte <= 0x20 || byte == 0x7F {
                        // ASCII white space becomes one space; other controls go.
                        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { pendingSpace = true }
                        index += 1
                        continue
                    }
                    if byte >= 0xC2 {
                        let next = index + 1 < count ? input[index + 1] : 0
                        let third = index + 2 < count ? input[index + 2] : 0
                        let special: Bool
                        switch byte {
                        case 0xC2: special = next <= 0xA0
                        case 0xE1: special = next == 0x9A && third == 0x80
                        case 0xE2:
                            special =
                                (next == 0x80 && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF))
                                || (next == 0x81 && third == 0x9F)
                        case 0xE3: special = next == 0x80 && third == 0x80
                        default: special = false
                        }
                        if special {
                            fallBack = true
                            return 0
                        }
                    }
                    if pendingSpace, written > 0 {
                        output[written] = 0x20
                        written += 1
                    }
                    pendingSpace = false
                    output[written] = byte
                    written += 1
                    index += 1
                }
                return written
            }
            return fallBack ? nil : result
        }
    }

    /// True when `text` has no control characters, no white space but single spaces, and no space
    /// at either end: the common case, checked on bytes.
    private static func isClean(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previousSpace = true
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 0x20 {
                    if previousSpace { return false }
                    previousSpace = true
                } else if byte < 0x20 || byte == 0x7F {
                    return false
                } else if byte >= 0xC2 {
                    // Non-ASCII white space and controls: U+0080…U+00A0 (C2 80…A0), U+1680 (E1 9A 80),
                    // U+2000…U+200A, U+2028, U+2029, U+202F, U+205F (E2 80/81 …), U+3000 (E3 80 80).
                    let next = index + 1 < count ? bytes[index + 1] : 0
                    let third = index + 2 < count ? bytes[index + 2] : 0
                    switch byte {
                    case 0xC2 where next <= 0xA0: return false
                    case 0xE1 where next == 0x9A && third == 0x80: return false
                    case 0xE2 where next == 0x80 && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF):
                        return false
                    case 0xE2 where next == 0x81 && third == 0x9F: return false
                    case 0xE3 where next == 0x80 && third == 0x80: return false
                    default: previousSpace = false
                    }
                } else {
                    previousSpace = false
                }
                index += 1
            }
            return !previousSpace || count == 0
        }
    }
}
