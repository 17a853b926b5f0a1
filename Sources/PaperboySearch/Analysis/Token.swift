/// A term produced by analysis, with where it came from.
public struct Token: Hashable, Sendable {
    /// The normalised term, e.g. `diffus` for "Diffusion".
    public var term: String
    /// The token's position in the field, counting dropped stop words, from 0.
    public var position: Int
    /// The token's byte range in the UTF-8 of the analysed text.
    public var range: Range<Int>

    /// Creates a token.
    public init(term: String, position: Int, range: Range<Int>) {
        self.term = term
        self.position = position
        self.range = range
    }
}

/// Turns text into the terms that are indexed and searched.
///
/// Documents and queries must go through the same analyzer, so that their terms meet.
public protocol Analyzer: Sendable {
    /// Calls `body` with each token of `text`, in order.
    func analyze(_ text: String, _ body: (Token) -> Void)
}

extension Analyzer {
    /// The tokens of `text`.
    public func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        self.analyze(text) { tokens.append($0) }
        return tokens
    }

    /// The terms of `text`, in order.
    public func terms(_ text: String) -> [String] {
        var terms: [String] = []
        self.analyze(text) { terms.append($0.term) }
        return terms
    }
}
