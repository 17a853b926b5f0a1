/// The result of a search: the best hits and how many documents matched.
public struct TopDocs: Hashable, Sendable {
    /// A hit: the document's key, its score and where it is in the snapshot.
    public struct Hit: Hashable, Sendable {
        /// The key the document was indexed with.
        public var key: String
        /// Its score.
        public var score: Float
        /// Where it is in the snapshot searched.
        public var address: DocAddress
    }

    /// How many documents matched; a lower bound when ``totalHitsIsExact`` is false.
    public var totalHits: Int
    /// Whether ``totalHits`` counts every match (pruning skips counting past
    /// ``Searcher/totalHitsThreshold``).
    public var totalHitsIsExact: Bool
    /// The best hits, best first.
    public var hits: [Hit]
    /// Whether the search ran out of its time budget and stopped early: the hits are the best of
    /// the documents it reached, not of all.
    public var isPartial = false
}
