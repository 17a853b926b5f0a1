public import PaperboyModel

/// An ``EmbeddingStore`` in memory.
public actor MemoryEmbeddingStore: EmbeddingStore {
    private var models: [String: [PaperID: StoredEmbedding]] = [:]

    /// Creates an empty store.
    public init() {}

    public func embeddings(model: String, ids: [PaperID]) -> [PaperID: StoredEmbedding] {
        let stored = self.models[model] ?? [:]
        var found: [PaperID: StoredEmbedding] = [:]
        for id in ids { if let embedding = stored[id] { found[id] = embedding } }
        return found
    }

    public func saveEmbeddings(_ embeddings: [StoredEmbedding], model: String) {
        for embedding in embeddings { self.models[model, default: [:]][embedding.paperID] = embedding }
    }

    public func embeddingCount(model: String) -> Int {
        self.models[model]?.count ?? 0
    }

    public func removeEmbeddings(model: String) -> Int {
        self.models.removeValue(forKey: model)?.count ?? 0
    }
}
