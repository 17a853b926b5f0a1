import PaperboySearch

/// HTML helpers for the few fragments built in Swift rather than in templates.
enum HTML {
    /// `text` with `& < > " '` escaped, safe inside elements and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A snippet as HTML: text escaped, matches in `<mark>`, ellipses where text was cut.
    static func render(_ snippet: Highlighter.Snippet) -> String {
        var html = snippet.truncatedStart ? "… " : ""
        for part in snippet.parts {
            html += part.isMatch ? "<mark>" + self.escape(part.text) + "</mark>" : self.escape(part.text)
        }
        if snippet.truncatedEnd { html += " …" }
        return html
    }

    /// The start of `text`, cut at a word boundary near `maxCharacters`, escaped, with an ellipsis if cut.
    static func excerpt(_ text: String, maxCharacters: Int) -> String {
        guard text.count > maxCharacters else { return self.escape(text) }
        var cut = text.prefix(maxCharacters)
        if let space = cut.lastIndex(of: " ") { cut = cut[..<space] }
        return self.escape(String(cut)) + " …"
    }
}
