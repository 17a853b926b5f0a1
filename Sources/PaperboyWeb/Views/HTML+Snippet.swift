import PaperboyServices

// Apart from HTML.swift, which the fuzzing package (scripts/fuzz) compiles without the services.
extension HTML {
    /// A snippet as HTML: text escaped, matches in `<mark>`, ellipses where text was cut.
    static func render(_ snippet: TextSnippet) -> String {
        var html = snippet.truncatedStart ? "… " : ""
        for part in snippet.parts {
            html += part.isMatch ? "<mark>" + self.escape(part.text) + "</mark>" : self.escape(part.text)
        }
        if snippet.truncatedEnd { html += " …" }
        return html
    }
}
