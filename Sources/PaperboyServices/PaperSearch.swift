import Foundation
public import PaperboyModel
public import PaperboyStore

/// Searching papers: parse the query once, ask the retrievers (words, meaning), fuse their
/// lists, pin an exact id or title first, load the papers, cut snippets.
public struct PaperSearch: Sendable {
    /// A found paper.
    public struct Result: Sendable {
        /// The paper.
        public var paper: Paper
        /// Its score in the mode searched (BM25F, cosine similarity, or the fused score).
        public var score: Float
        /// The title with matched words marked.
        public var title: TextSnippet
        /// The best passage of the abstract with matched words marked.
        public var abstract: TextSnippet
        /// Whether the paper is first because the query is its id or its exact title.
        public var isPinned = false
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
        /// The mode that ran: keyword when the one asked for is not live yet.
        public var mode: SearchMode = .keyword
        /// Why the mode asked for did not run, when it did not.
        public var modeNote: String?
    }

    /// A paper like another, and how alike.
    public struct Similar: Sendable {
        /// The paper.
        public var paper: Paper
        /// Cosine similarity of the two papers' vectors, or the BM25F score of the fallback.
        public var score: Float
    }

    /// How papers like one were found.
    public enum SimilarBy: String, Sendable {
        /// Nearest vectors.
        case vectors
        /// A more-like-this query of the paper's most telling words (it has no vector yet).
        case words
    }

    /// How long the engine may spend on one query; a query that needs more gets the best of what
    /// was found in that time, marked partial. With the parser's limits this keeps any query under
    /// about 50 ms of CPU (`paperboy bench hostile`).
    public static let queryBudget: Duration = .milliseconds(25)
    /// The budget of searches nobody waits on (a digest's saved searches and followed authors):
    /// enough for any query the parser lets through to finish on a large collection.
    public static let backgroundBudget: Duration = .seconds(2)
    /// How deep each list goes before fusing (at least the page asked for).
    public static let fusionDepth = 100

    /// The index searched.
    public let index: PaperIndex
    /// The store the papers are loaded from.
    public let store: any PaperStore
    /// Search by meaning, once live.
    public let semantic: SemanticState

    /// Creates the search.
    public init(index: PaperIndex, store: any PaperStore, semantic: SemanticState = SemanticState()) {
        self.index = index
        self.store = store
        self.semantic = semantic
    }

    /// The retriever by words.
    public var keyword: KeywordRetriever { KeywordRetriever(index: self.index) }

    /// The retriever by meaning, when vectors are loaded.
    public var vectors: VectorRetriever? {
        self.semantic.vectors.map { VectorRetriever(vectors: $0, keyword: self.keyword) }
    }

    /// The mode a search without one uses: hybrid when vectors are live, else keyword.
    public var defaultMode: SearchMode {
        self.semantic.liveModes.contains(.hybrid) ? .hybrid : .keyword
    }

    /// The best `limit` papers for `text` in `mode` (``defaultMode`` when nil), after skipping
    /// `offset`; with `highlight` false the snippets are left empty (the API sends whole texts).
    ///
    /// - Throws: ``ServiceError`` `invalidQuery` or `queryTooLarge` for a query that does not
    ///   parse or asks too much; the store's errors.
    public func search(
        _ text: String,
        limit: Int = 20,
        offset: Int = 0,
        mode asked: SearchMode? = nil,
        match: SearchMatch = .any,
        highlight: Bool = true,
        budget: Duration = PaperSearch.queryBudget
    ) async throws -> Results {
        let keyword = self.keyword
        let query = try keyword.analyze(text, match: match)
        let wanted = max(0, offset) + max(0, limit)
        var mode = asked ?? self.defaultMode
        var note: String?
        let vectors = self.vectors
        if mode != .keyword, vectors == nil || !self.semantic.liveModes.contains(mode) {
            note = "\(mode.rawValue) search is not available: \(self.semantic.status); keyword results shown"
            mode = .keyword
        }
        if mode == .hybrid, query.words.isEmpty { mode = .keyword }
        var list: RetrievedList
        var keywordList: RetrievedList?
        switch mode {
        case .keyword:
            list = try await keyword.retrieve(query, limit: wanted, budget: budget)
            keywordList = list
        case .semantic:
            list = try await vectors!.retrieve(query, limit: wanted, budget: budget)
        case .hybrid:
            let depth = max(Self.fusionDepth, wanted)
            let words = try await keyword.retrieve(query, limit: depth, budget: budget)
            let meaning = try await vectors!.retrieve(query, limit: depth, budget: budget)
            let fused = RankFusion.hybrid(keyword: words.hits, semantic: meaning.hits)
            keywordList = words
            list = RetrievedList(
                hits: Array(fused.prefix(wanted)), totalHits: max(words.totalHits, fused.count),
                totalHitsIsExact: false,
                isPartial: words.isPartial || meaning.isPartial)
            if meaning.hits.isEmpty { list.totalHitsIsExact = words.totalHitsIsExact }
        }
        // One read for the papers shown and the keyword top ten a title is looked for among.
        let titleCandidates = (keywordList?.hits.prefix(10)).map { $0.map(\.key) } ?? []
        var byID = try await self.papers(keys: list.hits.dropFirst(max(0, offset)).map(\.key) + titleCandidates)
        let pinned = try await self.pinned(query, titleCandidates: titleCandidates, loaded: byID)
        if let pinned {
            byID[pinned.id.rawValue] = pinned
            list.hits.removeAll { $0.key == pinned.id.rawValue }
            list.hits.insert(.init(key: pinned.id.rawValue, score: list.hits.first?.score ?? 0), at: 0)
            if list.hits.count > wanted { list.hits.removeLast() }
            list.totalHits = max(list.totalHits, 1)
        }
        let hits = Array(list.hits.dropFirst(max(0, offset)))
        // A pinned paper on an offset page shifts the list by one: read what that brings in.
        let unread = hits.map(\.key).filter { byID[$0] == nil }
        if pinned != nil, !unread.isEmpty {
            byID.merge(try await self.papers(keys: unread)) { first, _ in first }
        }
        let terms = highlight ? keyword.highlightTerms(query) : []
        let results = hits.compactMap { hit -> Result? in
            // A paper removed since the snapshot was taken is skipped.
            guard let paper = byID[hit.key] else { return nil }
            let isPinned = paper.id == pinned?.id
            guard highlight else {
                return Result(paper: paper, score: hit.score, title: .empty, abstract: .empty, isPinned: isPinned)
            }
            return Result(
                paper: paper,
                score: hit.score,
                title: keyword.snippet(of: paper.title, terms: terms, maxBytes: 1_000),
                abstract: keyword.snippet(of: paper.abstract, terms: terms, maxBytes: 320),
                isPinned: isPinned
            )
        }
        return Results(
            results: results, totalHits: list.totalHits, totalHitsIsExact: list.totalHitsIsExact,
            isPartial: list.isPartial, mode: mode, modeNote: note)
    }

    /// The paper the query names: its arXiv id or URL, or its exact title (ignoring case,
    /// accents and punctuation) among the best keyword matches.
    private func pinned(
        _ query: AnalyzedQuery, titleCandidates: [String], loaded: [String: Paper]
    ) async throws -> Paper? {
        let text = query.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = try? ArxivID(parsing: text) {
            if let paper = loaded[PaperID(id).rawValue] { return paper }
            if let paper = try await self.store.paper(id: PaperID(id)) { return paper }
        }
        let wanted = TitleNormalizer.normalize(text)
        guard wanted.count >= 8 else { return nil }
        let isWanted = { (paper: Paper) in TitleNormalizer.normalize(paper.title) == wanted }
        guard titleCandidates.isEmpty else {
            return titleCandidates.lazy.compactMap { loaded[$0] }.first(where: isWanted)
        }
        // Semantic mode asked no keyword list: the title's words find it.
        let words = try await self.keyword.retrieve(query, limit: 10, budget: Self.queryBudget)
        return try await self.store.papers(ids: words.hits.map { PaperID(trusted: $0.key) }).first(where: isWanted)
    }

    /// The `limit` papers most like the paper `id`, itself left out: nearest by vector, or by its
    /// words when it has no vector yet (then ``SimilarBy/words``).
    ///
    /// - Throws: ``ServiceError`` `notFound` for an id not in the store; the store's errors.
    public func similar(to id: PaperID, limit: Int = 10) async throws -> (papers: [Similar], by: SimilarBy) {
        guard let paper = try await self.store.paper(id: id) else {
            throw ServiceError(.notFound, field: "id", "no paper \(id.rawValue)")
        }
        let limit = max(0, min(limit, 100))
        var by = SimilarBy.vectors
        var hits: [RetrievedList.Hit]
        if let found = self.vectors?.similar(to: id.rawValue, limit: limit) {
            hits = found.hits
        } else {
            by = .words
            guard let query = self.keyword.moreLikeThis(title: paper.title, abstract: paper.abstract) else {
                return ([], by)
            }
            hits = try await self.keyword.retrieve(query, limit: limit + 1, budget: Self.queryBudget).hits
            hits.removeAll { $0.key == id.rawValue }
            hits = Array(hits.prefix(limit))
        }
        let byID = try await self.papers(keys: hits.map(\.key))
        return (hits.compactMap { hit in byID[hit.key].map { Similar(paper: $0, score: hit.score) } }, by)
    }

    /// The stored papers of these index keys, each read once, by key (a paper removed since the
    /// index snapshot is absent).
    private func papers(keys: [String]) async throws -> [String: Paper] {
        var seen = Set<String>()
        let unique = keys.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return [:] }
        let papers = try await self.store.papers(ids: unique.map { PaperID(trusted: $0) })
        var byID: [String: Paper] = [:]
        for paper in papers { byID[paper.id.rawValue] = paper }
        return byID
    }

    /// Papers with an author of exactly this name (ignoring case and accents), newest first, at
    /// most `limit`; found through the index's author field, then checked name by name.
    public func papers(
        byAuthor name: String, limit: Int = 500, budget: Duration = PaperSearch.queryBudget
    ) async throws -> [Paper] {
        let words = name.split(whereSeparator: { $0 == "\"" || $0.isWhitespace }).joined(separator: " ")
        guard !words.isEmpty, let query = try? self.keyword.analyze("author:\"\(words)\"", match: .all) else {
            return []
        }
        let top = try await self.keyword.retrieve(query, limit: limit, budget: budget)
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
}
