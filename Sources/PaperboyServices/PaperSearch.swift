import Foundation
public import PaperboyModel
public import PaperboySearch
public import PaperboyStore

/// Searching papers: parse the query, search the index snapshot, load the papers, cut snippets.
public struct PaperSearch: Sendable {
    /// A found paper.
    public struct Result: Sendable {
        /// The paper.
        public var paper: Paper
        /// Its BM25F score.
        public var score: Float
        /// The title with matched words marked.
        public var title: Highlighter.Snippet
        /// The best passage of the abstract with matched words marked.
        public var abstract: Highlighter.Snippet
    }

    /// A page of results.
    public struct Results: Sendable {
        /// The results, best first.
        public var results: [Result]
        /// How many papers matched; a lower bound when ``totalHitsIsExact`` is false.
        public var totalHits: Int
        /// Whether ``totalHits`` counts every match.
        public var totalHitsIsExact: Bool
        /// Whether the query ran out of ``PaperSearch/queryBudget`` (the results are the best of
        /// the papers reached in that time).
        public var isPartial = false
    }

    /// How long the engine may spend on one query; a query that needs more gets the best of what
    /// was found in that time, marked partial. With the parser's limits this keeps any query under
    /// about 50 ms of CPU (`paperboy bench hostile`).
    public static let queryBudget: Duration = .milliseconds(25)
    /// The budget of searches nobody waits on (a digest's saved searches and followed authors):
    /// enough for any query the parser lets through to finish on a large collection.
    public static let backgroundBudget: Duration = .seconds(2)

    /// The index searched.
    public let index: PaperIndex
    /// The store the papers are loaded from.
    public let store: any PaperStore

    /// Creates the search.
    public init(index: PaperIndex, store: any PaperStore) {
        self.index = index
        self.store = store
    }

    /// The best `limit` papers for `text`, after skipping `offset`; with `highlight` false the
    /// snippets are left empty (the API sends whole texts).
    ///
    /// - Throws: ``SearchError`` for a query that does not parse; the store's errors.
    public func search(
        _ text: String,
        limit: Int = 20,
        offset: Int = 0,
        mode: QueryParser.Mode = .or,
        highlight: Bool = true,
        budget: Duration = PaperSearch.queryBudget
    ) async throws -> Results {
        let searcher = self.index.searcher
        let query = try PaperIndex.parser(analyzer: self.index.analyzer).parse(text, mode: mode)
        let top = searcher.search(query, limit: max(0, offset) + max(0, limit), budget: budget)
        let hits = Array(top.hits.dropFirst(max(0, offset)))
        let papers = try await self.store.papers(ids: hits.map { PaperID(trusted: $0.key) })
        var byID: [String: Paper] = [:]
        for paper in papers { byID[paper.id.rawValue] = paper }
        var terms = Set<String>()
        if highlight {
            terms = Set(query.terms)
            Self.prefixExpansions(query, searcher: searcher, into: &terms)
        }
        let highlighter = Highlighter(analyzer: self.index.analyzer)
        let results = hits.compactMap { hit -> Result? in
            // A paper removed since the snapshot was taken is skipped.
            guard let paper = byID[hit.key] else { return nil }
            guard highlight else {
                return Result(paper: paper, score: hit.score, title: .empty, abstract: .empty)
            }
            return Result(
                paper: paper,
                score: hit.score,
                title: highlighter.snippet(of: paper.title, terms: terms, maxBytes: 1_000),
                abstract: highlighter.snippet(of: paper.abstract, terms: terms, maxBytes: 320)
            )
        }
        return Results(
            results: results, totalHits: top.totalHits, totalHitsIsExact: top.totalHitsIsExact, isPartial: top.isPartial
        )
    }

    /// Papers with an author of exactly this name (ignoring case and accents), newest first, at
    /// most `limit`; found through the index's author field, then checked name by name.
    public func papers(
        byAuthor name: String, limit: Int = 500, budget: Duration = PaperSearch.queryBudget
    ) async throws -> [Paper] {
        let words = name.split(whereSeparator: { $0 == "\"" || $0.isWhitespace }).joined(separator: " ")
        guard !words.isEmpty,
            let query = try? PaperIndex.parser(analyzer: self.index.analyzer).parse("author:\"\(words)\"", mode: .and)
        else { return [] }
        let top = self.index.searcher.search(query, limit: limit, budget: budget)
        let wanted = Self.nameKey(name)
        let papers = try await self.store.papers(ids: top.hits.map { PaperID(trusted: $0.key) })
        return papers.filter { $0.authors.contains { Self.nameKey($0.name) == wanted } }
            .sorted { ($0.announced, $1.id.rawValue) > ($1.announced, $0.id.rawValue) }
    }

    /// A name folded for comparison: no case, no accents, single spaces.
    static func nameKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Adds the terms prefix clauses stand for, so that highlights mark them too.
    private static func prefixExpansions(_ query: any Query, searcher: Searcher, into terms: inout Set<String>) {
        if let prefix = query as? PrefixQuery {
            terms.formUnion(prefix.expansions(searcher))
        } else if let boolean = query as? BooleanQuery {
            for clause in boolean.clauses where clause.occur != .mustNot {
                Self.prefixExpansions(clause.query, searcher: searcher, into: &terms)
            }
        }
    }
}
