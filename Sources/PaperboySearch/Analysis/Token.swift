/// A term produced by analysis, with where it came from.
public struct Token: Hashable, Sendable {
    /// The normalised term, e.g. `diffus` for "Diffusion".
    public var term: String
    /// The token's position in the field, counting dropped stop words, from 0.
    public var position: Int
    /// The token's byte range in the UTF-8 of the analysed text.
    public var range: Range<Int>
    /// True for an extra token at the same position as the one before it (the joined form of a
    /// hyphenated word); such tokens do not count towards the field's length or phrases.
    public var isSynonym: Bool

    /// Creates a token.
    public init(term: String, position: Int, range: Range<Int>, isSynonym: Bool = false) {
        self.term = term
        self.position = position
        self.range = range
        self.isSynonym = isSynonym
    }
}

/// A word as a tokenizer finds it: folded, lower-case UTF-8, not yet stemmed or filtered.
public struct Word {
    /// The word's bytes; valid only during the call that hands the word out.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The word's position in the text, from 0.
    public let position: Int
    /// The word's byte range in the UTF-8 of the text.
    public let range: Range<Int>
    /// True for the joined form of a hyphenated word, at the position of its first part.
    public let isSynonym: Bool

    /// The word as a string.
    public var text: String { String(decoding: self.bytes, as: UTF8.self) }
}

/// Turns text into the terms that are indexed and searched, in two steps: a tokenizer splits the
/// text into ``Word``s, then each word maps to its term on its own (stop words map to none).
///
/// Because a word's term depends on the word alone, indexers may cache the mapping. Documents
/// and queries must go through the same analyzer, so that their terms meet.
public protocol Analyzer: Sendable {
    /// Calls `body` with each word of `text`, in order.
    func words(in text: String, _ body: (Word) -> Void)
    /// The term `word` is indexed under, or `nil` when the word is not indexed (a stop word).
    func term(for word: UnsafeBufferPointer<UInt8>) -> String?
}

extension Analyzer {
    /// Calls `body` with each token of `text`, in order.
    public func analyze(_ text: String, _ body: (Token) -> Void) {
        self.words(in: text) { word in
            guard let term = self.term(for: word.bytes) else { return }
            body(Token(term: term, position: word.position, range: word.range, isSynonym: word.isSynonym))
        }
    }

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
