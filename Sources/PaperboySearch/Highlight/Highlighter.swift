/// Picks the passage of a text that best matches a query and marks the matched words, for
/// result snippets.
public struct Highlighter: Sendable {
    /// The analyzer the index was built with, so that "Diffusion" in the text meets `diffus`.
    public let analyzer: any Analyzer

    /// Creates a highlighter.
    public init(analyzer: any Analyzer) {
        self.analyzer = analyzer
    }

    /// A passage: pieces of text, some of them matches, and whether text was cut before or after.
    public struct Snippet: Hashable, Sendable {
        /// A piece of the passage.
        public struct Part: Hashable, Sendable {
            /// The text, as in the source (not escaped).
            public var text: String
            /// Whether the piece is a matched word.
            public var isMatch: Bool
        }

        /// The pieces, in order.
        public var parts: [Part]
        /// Text was left out before the passage.
        public var truncatedStart: Bool
        /// Text was left out after the passage.
        public var truncatedEnd: Bool

        /// The passage as plain text.
        public var text: String { self.parts.map(\.text).joined() }

        /// No passage (when snippets were not asked for).
        public static let empty = Snippet(parts: [], truncatedStart: false, truncatedEnd: false)
    }

    /// The passage of at most about `maxBytes` bytes of `text` with the most distinct query terms
    /// (then the most matches); the text's start when nothing matches.
    public func snippet(of text: String, terms: Set<String>, maxBytes: Int = 280) -> Snippet {
        let bytes = Array(text.utf8)
        let matches = terms.isEmpty ? [] : self.analyzer.tokens(text).filter { terms.contains($0.term) }
        var windowStart = 0
        if !matches.isEmpty, bytes.count > maxBytes {
            // The window of maxBytes starting at a match with the most distinct terms (then the
            // most matches), found in one pass: the window's end only moves forward.
            var bestScore = -1.0
            var inWindow: [String: Int] = [:]
            var end = 0
            for (index, first) in matches.enumerated() {
                if end < index { end = index }
                while end < matches.count, matches[end].range.upperBound <= first.range.lowerBound + maxBytes {
                    inWindow[matches[end].term, default: 0] += 1
                    end += 1
                }
                let score = Double(inWindow.count) + 0.01 * Double(end - index)
                if score > bestScore {
                    bestScore = score
                    windowStart = first.range.lowerBound
                }
                if end > index {
                    if inWindow[first.term] == 1 { inWindow[first.term] = nil } else { inWindow[first.term]! -= 1 }
                }
            }
            // Keep some words before the first match for context.
            windowStart = max(0, windowStart - maxBytes / 5)
        }
        var start = windowStart
        var end = min(bytes.count, start + maxBytes)
        if end - start < maxBytes { start = max(0, end - maxBytes) }
        // Snap both ends to spaces so that no word (or UTF-8 sequence) is cut.
        if start > 0 {
            if let space = bytes[start..<end].firstIndex(of: 0x20) { start = space + 1 }
        }
        if end < bytes.count {
            if let space = bytes[start..<end].lastIndex(of: 0x20), space > start { end = space }
        }
        var parts: [Snippet.Part] = []
        var cursor = start
        // Matches may overlap (a hyphenated word and its parts): keep the first of each overlap.
        for match in matches where match.range.lowerBound >= max(start, cursor) && match.range.upperBound <= end {
            if match.range.lowerBound > cursor {
                parts.append(
                    .init(text: String(decoding: bytes[cursor..<match.range.lowerBound], as: UTF8.self), isMatch: false)
                )
            }
            parts.append(.init(text: String(decoding: bytes[match.range], as: UTF8.self), isMatch: true))
            cursor = match.range.upperBound
        }
        if cursor < end {
            parts.append(.init(text: String(decoding: bytes[cursor..<end], as: UTF8.self), isMatch: false))
        }
        return Snippet(parts: parts, truncatedStart: start > 0, truncatedEnd: end < bytes.count)
    }
}
