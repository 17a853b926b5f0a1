/// How a search ranks: by words (BM25F), by meaning (embeddings), or both fused.
public enum SearchMode: String, Sendable, CaseIterable, Codable {
    /// The keyword engine alone.
    case keyword
    /// Nearest papers by embedding alone (filters still apply).
    case semantic
    /// Both lists fused (``RankFusion``), exact ids and titles pinned first.
    case hybrid
}

/// How the words of a keyword query combine.
public enum SearchMatch: String, Sendable, CaseIterable, Codable {
    /// A paper matching any word ranks; more words rank higher.
    case any
    /// Every word is required.
    case all
}
