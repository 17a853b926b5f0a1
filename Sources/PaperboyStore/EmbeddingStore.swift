public import PaperboyModel

/// A paper's embedding as a store keeps it: the vector of one model for one text.
public struct StoredEmbedding: Sendable, Hashable {
    /// The paper.
    public var paperID: PaperID
    /// A hash of the text embedded (title and abstract), so that a changed text is embedded again.
    public var textHash: String
    /// The vector.
    public var vector: [Float]

    /// Creates the embedding.
    public init(paperID: PaperID, textHash: String, vector: [Float]) {
        self.paperID = paperID
        self.textHash = textHash
        self.vector = vector
    }
}

/// Papers' embeddings, one per paper and model, kept so that a rebuilt index or a new node does
/// not compute them again. Implementations pass `EmbeddingStoreConformance`.
public protocol EmbeddingStore: Sendable {
    /// The stored embeddings of these papers for `model` (papers without one are absent).
    func embeddings(model: String, ids: [PaperID]) async throws -> [PaperID: StoredEmbedding]

    /// Stores embeddings for `model`, replacing what a paper had for it, all or none.
    func saveEmbeddings(_ embeddings: [StoredEmbedding], model: String) async throws

    /// How many papers have an embedding for `model`.
    func embeddingCount(model: String) async throws -> Int

    /// Forgets every embedding of `model`; returns how many there were.
    @discardableResult
    func removeEmbeddings(model: String) async throws -> Int
}
