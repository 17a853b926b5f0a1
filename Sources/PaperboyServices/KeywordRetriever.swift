import Foundation
import PaperboySearch

/// Papers by their words: the BM25F engine over a ``PaperIndex`` snapshot.
public struct KeywordRetriever: PaperRetriever {
    /// The index searched.
    public let index: PaperIndex

    /// Creates the retriever.
    public init(index: PaperIndex) {
        self.index = index
    }

    /// Parses `text` once for every retriever.
    ///
    /// - Throws: ``ServiceError`` `invalidQuery` or `queryTooLarge`, naming the column.
    public func analyze(_ text: String, match: SearchMatch = .any) throws(ServiceError) -> AnalyzedQuery {
        do {
            let parts = try PaperIndex.parser(analyzer: self.index.analyzer).parts(
                text, mode: match == .all ? .and : .or)
            return AnalyzedQuery(text: text, match: match, parts: parts)
        } catch {
            throw ServiceError(
                error.code == .queryTooLarge ? .queryTooLarge : .invalidQuery, field: "q", error.message)
        }
    }

    public func retrieve(_ query: AnalyzedQuery, limit: Int, budget: Duration) async throws -> RetrievedList {
        let top = self.index.searcher.search(query.parts.query, limit: limit, budget: budget)
        return RetrievedList(
            hits: top.hits.map { .init(key: $0.key, score: $0.score) }, totalHits: top.totalHits,
            totalHitsIsExact: top.totalHitsIsExact, isPartial: top.isPartial)
    }

    /// The keys of the papers the query's filters and exclusions leave (nil when it has none):
    /// what another retriever may return.
    func allowedKeys(_ query: AnalyzedQuery, budget: Duration) -> Set<String>? {
        guard let narrowing = query.parts.narrowing else { return nil }
        return self.index.searcher.matchingKeys(narrowing, budget: budget).keys
    }

    /// The terms a match of `query` may contain, expansions of its prefixes included.
    func highlightTerms(_ query: AnalyzedQuery) -> Set<String> {
        var terms = Set<String>()
        query.parts.query.visitTerms(in: self.index.searcher) { terms.insert($0) }
        return terms
    }

    /// The passage of `text` of at most about `maxBytes` bytes with the most of `terms`, marked.
    func snippet(of text: String, terms: Set<String>, maxBytes: Int) -> TextSnippet {
        let snippet = Highlighter(analyzer: self.index.analyzer).snippet(of: text, terms: terms, maxBytes: maxBytes)
        return TextSnippet(
            parts: snippet.parts.map { .init(text: $0.text, isMatch: $0.isMatch) },
            truncatedStart: snippet.truncatedStart, truncatedEnd: snippet.truncatedEnd)
    }

    /// A query for papers like one with `title` and `abstract`: their most telling words, for
    /// when a paper has no vector yet.
    func moreLikeThis(title: String, abstract: String, terms: Int = 25) -> AnalyzedQuery? {
        let searcher = self.index.searcher
        var counts: [String: Int] = [:]
        for token in self.index.analyzer.tokens(title + " " + abstract) where !token.isSynonym {
            counts[token.term, default: 0] += 1
        }
        let total = Double(max(1, searcher.documentCount))
        let ranked = counts.compactMap { term, count -> (String, Double)? in
            let frequency = searcher.documentFrequency(term)
            guard frequency > 1 else { return nil }
            return (term, Double(count) * log(total / Double(frequency)))
        }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(terms)
        guard !ranked.isEmpty else { return nil }
        let query = BooleanQuery(ranked.map { .init(TermQuery(term: $0.0, fields: nil), .should) })
        let parts = QueryParser.Parts(query: query, text: "", narrowing: nil, hasFilters: false)
        return AnalyzedQuery(text: title, match: .any, parts: parts)
    }
}
