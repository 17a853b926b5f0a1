/// Tidies text from sources: white space runs (newlines and tabs included) become one space,
/// control characters go, and the ends are trimmed.
public enum TextCleaner {
    /// `text` with white space collapsed and control characters removed.
    public static func collapseWhitespace(_ text: String) -> String {
        if Self.isClean(text) { return text }
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

    /// True when `text` has no control characters, no white space but single spaces, and no space
    /// at either end: the common case, checked on bytes.
    private static func isClean(_ text: String) -> Bool {
        var previousSpace = true
        for byte in text.utf8 {
            if byte == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else if byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || byte == 0xE3 {
                // Control characters, and lead bytes of non-ASCII spaces (U+0085, U+00A0,
                // U+2000…U+205F, U+3000): take the careful path.
                return false
            } else {
                previousSpace = false
            }
        }
        return !previousSpace || text.isEmpty
    }
}
