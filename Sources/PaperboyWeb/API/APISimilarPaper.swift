/// One of `GET /api/papers/{id}/similar`: a paper like the one asked about, and how alike.
struct APISimilarPaper: Codable, Sendable {
    /// The paper.
    var paper: HFPaper
    /// Cosine similarity of the embeddings, or the BM25F score when found by words.
    var similarity: Double
    /// `vectors` or `words`.
    var by: String
}
