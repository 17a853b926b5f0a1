/// A passage of a text with the words a search matched marked, for a page to render.
public struct TextSnippet: Hashable, Sendable {
    /// A piece of the passage.
    public struct Part: Hashable, Sendable {
        /// The text, as in the source (not escaped).
        public var text: String
        /// Whether the piece is a matched word.
        public var isMatch: Bool

        /// Creates a piece.
        public init(text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    /// The pieces, in order.
    public var parts: [Part]
    /// Text was left out before the passage.
    public var truncatedStart: Bool
    /// Text was left out after the passage.
    public var truncatedEnd: Bool

    /// Creates a snippet.
    public init(parts: [Part], truncatedStart: Bool, truncatedEnd: Bool) {
        self.parts = parts
        self.truncatedStart = truncatedStart
        self.truncatedEnd = truncatedEnd
    }

    /// The passage as plain text.
    public var text: String { self.parts.map(\.text).joined() }

    /// No passage (when snippets were not asked for).
    public static let empty = TextSnippet(parts: [], truncatedStart: false, truncatedEnd: false)
}
