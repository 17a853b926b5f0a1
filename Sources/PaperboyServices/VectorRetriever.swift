import PaperboyEmbed

/// Papers by meaning: the query's words embedded, the nearest paper vectors, exactly; the
/// query's filters and exclusions (found by the keyword engine) apply.
public struct VectorRetriever: PaperRetriever {
    /// The vectors searched.
    public let vectors: PaperVectors
    /// The keyword side, which evaluates filters and exclusions.
    public let keyword: KeywordRetriever

    /// Creates the retriever.
    public init(vectors: PaperVectors, keyword: KeywordRetriever) {
        self.vectors = vectors
        self.keyword = keyword
    }

    public func retrieve(_ query: AnalyzedQuery, limit: Int, budget: Duration) async throws -> RetrievedList {
        guard !query.words.isEmpty, limit > 0 else { return .empty }
        let vector = await self.vectors.model.embedQuery(query.words)
        let allowed = self.keyword.allowedKeys(query, budget: budget)
        return self.nearest(to: vector, limit: limit, allowed: allowed, excluding: nil)
    }

    /// The papers nearest the paper `key`, itself left out; nil when it has no vector yet.
    public func similar(to key: String, limit: Int) -> RetrievedList? {
        guard let vector = self.vectors.snapshot.vector(of: key) else { return nil }
        return self.nearest(to: vector, limit: limit, allowed: nil, excluding: key)
    }

    private func nearest(to vector: [Float], limit: Int, allowed: Set<String>?, excluding: String?) -> RetrievedList {
        let index = self.vectors.snapshot
        var isAllowed: (@Sendable (Int) -> Bool)?
        var excludedSlot = -1
        if let excluding, let slot = index.slot(of: excluding) { excludedSlot = slot }
        if let allowed {
            var slots = [Bool](repeating: false, count: index.count)
            for key in allowed { if let slot = index.slot(of: key) { slots[slot] = true } }
            if excludedSlot >= 0 { slots[excludedSlot] = false }
            let allowedSlots = slots
            isAllowed = { allowedSlots[$0] }
        } else if excludedSlot >= 0 {
            let excluded = excludedSlot
            isAllowed = { $0 != excluded }
        }
        let matches = index.search(vector, limit: limit, isAllowed: isAllowed)
        return RetrievedList(
            hits: matches.map { .init(key: $0.key, score: $0.score) }, totalHits: matches.count,
            // Fewer than asked for: every paper allowed was ranked.
            totalHitsIsExact: matches.count < limit)
    }
}
