import PaperboySearch

/// One way of finding papers for a query (words, vectors; an approximate graph index later):
/// the seam between searching and the engines. A retriever returns paper keys with its own
/// scores, best first; ``RankFusion`` combines lists, ``PaperSearch`` loads and presents them.
public protocol PaperRetriever: Sendable {
    /// The best `limit` papers for `query`, within `budget` where the retriever can bound itself.
    func retrieve(_ query: AnalyzedQuery, limit: Int, budget: Duration) async throws -> RetrievedList
}

/// A query as typed, parsed once for every retriever.
public struct AnalyzedQuery: Sendable {
    /// The text as typed.
    public let text: String
    /// How its words combine in the keyword engine.
    public let match: SearchMatch
    /// The words and phrases it looks for, without syntax, filters or exclusions: what a
    /// retriever by meaning embeds. Empty for a query of filters only.
    public let words: String
    /// Whether the query has filters (categories, dates).
    public let hasFilters: Bool
    /// The engine's form of the query.
    let parts: QueryParser.Parts

    init(text: String, match: SearchMatch, parts: QueryParser.Parts) {
        self.text = text
        self.match = match
        self.words = parts.text
        self.hasFilters = parts.hasFilters
        self.parts = parts
    }
}

/// What a retriever found.
public struct RetrievedList: Sendable {
    /// A found paper and the retriever's score.
    public struct Hit: Sendable, Hashable {
        /// The paper's key (its id).
        public var key: String
        /// The retriever's score (BM25F, cosine similarity, a fused score).
        public var score: Float

        /// Creates a hit.
        public init(key: String, score: Float) {
            self.key = key
            self.score = score
        }
    }

    /// The hits, best first.
    public var hits: [Hit]
    /// How many papers matched; a lower bound when ``totalHitsIsExact`` is false.
    public var totalHits: Int
    /// Whether ``totalHits`` counts every match.
    public var totalHitsIsExact: Bool
    /// Whether the retriever ran out of its budget (the hits are the best it reached).
    public var isPartial: Bool

    /// Creates a list.
    public init(hits: [Hit], totalHits: Int, totalHitsIsExact: Bool, isPartial: Bool = false) {
        self.hits = hits
        self.totalHits = totalHits
        self.totalHitsIsExact = totalHitsIsExact
        self.isPartial = isPartial
    }

    /// Nothing found.
    public static let empty = RetrievedList(hits: [], totalHits: 0, totalHitsIsExact: true)
}
