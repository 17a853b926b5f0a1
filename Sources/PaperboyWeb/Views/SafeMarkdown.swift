import Foundation

/// Renders the safe Markdown subset comments may use, as HTML: paragraphs and line breaks,
/// `inline code` and fenced code blocks, *emphasis* and **strong** (also with underscores), and
/// links `[text](https://…)` to http, https and mailto addresses only. Everything else is
/// escaped text: no raw HTML, no images, no other URL schemes.
enum SafeMarkdown {
    static func html(_ source: String) -> String {
        var html = ""
        var paragraph: [String] = []
        var code: [String]?
        func flush() {
            guard !paragraph.isEmpty else { return }
            html += "<p>" + paragraph.map(Self.inline).joined(separator: "<br>\n") + "</p>\n"
            paragraph = []
        }
        for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingWhitespace().hasPrefix("```") {
                if let lines = code {
                    html += "<pre><code>" + HTML.escape(lines.joined(separator: "\n")) + "</code></pre>\n"
                    code = nil
                } else {
                    flush()
                    code = []
                }
                continue
            }
            if code != nil {
                code!.append(line)
            } else if line.trimmingWhitespace().isEmpty {
                flush()
            } else {
                paragraph.append(line)
            }
        }
        if let lines = code { html += "<pre><code>" + HTML.escape(lines.joined(separator: "\n")) + "</code></pre>\n" }
        flush()
        return html
    }

    /// One line: code spans first (their content is literal), then links, then emphasis.
    static func inline(_ line: String) -> String {
        var out = ""
        var rest = Substring(line)
        while let tick = rest.firstIndex(of: "`") {
            let after = rest.index(after: tick)
            guard let close = rest[after...].firstIndex(of: "`") else { break }
            out += Self.links(rest[..<tick])
            out += "<code>" + HTML.escape(String(rest[after..<close])) + "</code>"
            rest = rest[rest.index(after: close)...]
        }
        return out + Self.links(rest)
    }

    /// `[text](url)` with a safe scheme becomes a link; the rest goes on to emphasis.
    private static func links(_ text: Substring) -> String {
        var out = ""
        var rest = text
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]"), rest.index(after: close) < rest.endIndex,
                rest[rest.index(after: close)] == "(",
                let end = rest[close...].firstIndex(of: ")")
            else { break }
            let label = rest[rest.index(after: open)..<close]
            let url = String(rest[rest.index(close, offsetBy: 2)..<end]).trimmingWhitespace()
            out += Self.emphasis(rest[..<open])
            if Self.isSafe(url), !label.isEmpty {
                out += "<a href=\"\(HTML.escape(url))\" rel=\"nofollow ugc noopener\">\(Self.emphasis(label))</a>"
            } else {
                out += Self.emphasis(rest[open...end])
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + Self.emphasis(rest)
    }

    private static func isSafe(_ url: String) -> Bool {
        let lower = url.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:"))
            && !url.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    }

    /// `**strong**`, `__strong__`, `*em*`, `_em_` on escaped text.
    private static func emphasis(_ text: Substring) -> String {
        var html = HTML.escape(String(text))
        for (marker, tag) in [("**", "strong"), ("__", "strong"), ("*", "em"), ("_", "em")] {
            html = Self.pair(html, marker: marker, tag: tag)
        }
        return html
    }

    /// Replaces `marker…marker` around non-blank text with `<tag>…</tag>`.
    private static func pair(_ html: String, marker: String, tag: String) -> String {
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: marker) {
            guard let end = rest[start.upperBound...].range(of: marker) else { break }
            let inner = rest[start.upperBound..<end.lowerBound]
            guard let first = inner.first, let last = inner.last, !first.isWhitespace, !last.isWhitespace,
                // `_` inside words (snake_case) is not emphasis.
                marker.first != "_" || Self.isBoundary(before: start.lowerBound, in: rest)
            else {
                out += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                continue
            }
            out += rest[..<start.lowerBound] + "<\(tag)>" + inner + "</\(tag)>"
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    private static func isBoundary(before index: Substring.Index, in text: Substring) -> Bool {
        index == text.startIndex
            || !text[text.index(before: index)].isLetter && !text[text.index(before: index)].isNumber
    }
}
