import Foundation

/// Reads the author strings arXiv writes by hand (`C. Bal\'azs, E. L. Berger and C.-P. Yuan`):
/// splits on commas and a final "and", and turns TeX accents into letters.
public enum AuthorList {
    /// The names in `text`, in order; affiliations in parentheses are dropped.
    public static func split(_ text: String) -> [String] {
        let plain = Self.withoutParentheses(Self.decodeTeXAccents(text))
        var names: [String] = []
        for part in plain.split(separator: ",") {
            var piece = TextCleaner.collapseWhitespace(String(part))
            if piece.hasPrefix("and ") { piece.removeFirst(4) }
            for name in piece.components(separatedBy: " and ") {
                let name = TextCleaner.collapseWhitespace(name)
                if !name.isEmpty, name != "et al.", name != "Jr.", name != "Jr" {
                    names.append(name)
                } else if name.hasPrefix("Jr"), let last = names.popLast() {
                    names.append(last + ", " + name)
                }
            }
        }
        return names
    }

    /// Whether `text` has a backslash or a brace (most names have neither).
    private static func mayHaveTeX(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x5C, bytes.count) != nil || memchr(base, 0x7B, bytes.count) != nil
        }
    }

    /// The name from the snapshot's `authors_parsed` triple `[last, first, suffix]`.
    public static func name(last: String, first: String, suffix: String) -> String {
        var name = first.isEmpty ? last : first + " " + last
        if !suffix.isEmpty { name += " " + suffix }
        return TextCleaner.collapseWhitespace(Self.decodeTeXAccents(name))
    }

    private static func withoutParentheses(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "(")) else { return text }
        var depth = 0
        var out = ""
        for character in text {
            if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                out.append(character)
            }
        }
        return out
    }

    private static let accents: [Character: Unicode.Scalar] = [
        "'": "\u{301}", "`": "\u{300}", "^": "\u{302}", "\"": "\u{308}", "~": "\u{303}", "=": "\u{304}",
        ".": "\u{307}", "u": "\u{306}", "v": "\u{30C}", "H": "\u{30B}", "c": "\u{327}", "k": "\u{328}",
        "r": "\u{30A}",
    ]

    private static let letters: [String: String] = [
        "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ",
    ]

    /// `Bal\'azs` → `Balázs`, `{\"o}` → `ö`, `\c{c}` → `ç`, `{\o}` → `ø`; braces go, other text stays.
    public static func decodeTeXAccents(_ text: String) -> String {
        guard Self.mayHaveTeX(text) else { return text }
        var out = ""
        var rest = Substring(text)
        func skipGrouping() {
            while let next = rest.first, next == " " || next == "{" || next == "}" { rest.removeFirst() }
        }
        /// Puts `mark` on the next letter (`\i` and `\j` are dotless i and j).
        func accent(_ mark: Unicode.Scalar) {
            skipGrouping()
            var base: Character
            if rest.hasPrefix("\\i") || rest.hasPrefix("\\j") {
                base = rest.dropFirst().first!
                rest.removeFirst(2)
            } else if let next = rest.first {
                base = next
                rest.removeFirst()
            } else {
                return
            }
            if rest.first == "}" { rest.removeFirst() }
            var scalars = String.UnicodeScalarView(base.unicodeScalars)
            scalars.append(mark)
            out += String(scalars).precomposedStringWithCanonicalMapping
        }
        while let character = rest.first {
            rest.removeFirst()
            if character == "{" || character == "}" { continue }
            guard character == "\\", let next = rest.first else {
                out.append(character)
                continue
            }
            if !next.isLetter {
                rest.removeFirst()
                if let mark = Self.accents[next] { accent(mark) } else { out.append(next) }
                continue
            }
            let name = String(rest.prefix(while: { $0.isLetter }))
            rest.removeFirst(name.count)
            if name.count == 1, let mark = Self.accents[Character(name)] {
                accent(mark)
            } else if let letter = Self.letters[name] {
                out += letter
                if rest.first == " " { rest.removeFirst() }
            } else {
                out += name
            }
        }
        return out
    }
}
