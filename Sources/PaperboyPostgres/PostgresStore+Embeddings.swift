import NIOCore
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Embeddings (table `paper_embedding`), vectors as little-endian float32 `bytea`: the bytes of
/// SQLite's BLOBs.
extension PostgresStore: EmbeddingStore {
    public func embeddings(model: String, ids: [PaperID]) async throws -> [PaperID: StoredEmbedding] {
        guard !ids.isEmpty else { return [:] }
        // One array parameter however many ids (SQLite binds them in chunks).
        let rows = try await self.rows(
            """
            SELECT paper_id, text_hash, vector FROM paper_embedding
            WHERE model = \(model) AND paper_id = ANY(\(ids.map(\.rawValue)))
            """)
        var found: [PaperID: StoredEmbedding] = [:]
        for row in rows {
            let (paperID, textHash, vector) = try PostgresStore.decode(
                row, (String, String, ByteBuffer).self, table: "paper_embedding")
            let id = PaperID(trusted: paperID)
            found[id] = StoredEmbedding(paperID: id, textHash: textHash, vector: Self.floats(vector))
        }
        return found
    }

    public func saveEmbeddings(_ embeddings: [StoredEmbedding], model: String) async throws {
        guard !embeddings.isEmpty else { return }
        // SQLite runs one INSERT OR REPLACE each, so the last of several embeddings of one paper
        // wins. Here one statement writes them all (all or none), and an upsert may not touch a row
        // twice: only the last of each paper's is sent.
        var last: [PaperID: Int] = [:]
        for (index, embedding) in embeddings.enumerated() { last[embedding.paperID] = index }
        let kept = embeddings.indices.filter { last[embeddings[$0].paperID] == $0 }.map { embeddings[$0] }
        let paperIDs: [String] = kept.map(\.paperID.rawValue)
        let textHashes: [String] = kept.map(\.textHash)
        let vectors: [ByteBuffer] = kept.map { Self.bytes($0.vector) }
        try await self.execute(
            """
            INSERT INTO paper_embedding (paper_id, model, text_hash, vector)
            SELECT e.paper_id, \(model), e.text_hash, e.vector
            FROM unnest(\(paperIDs), \(textHashes), \(vectors)) AS e (paper_id, text_hash, vector)
            ON CONFLICT (model, paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector
            """)
    }

    public func embeddingCount(model: String) async throws -> Int {
        try await self.count("SELECT count(*) FROM paper_embedding WHERE model = \(model)")
    }

    @discardableResult
    public func removeEmbeddings(model: String) async throws -> Int {
        // Counted in the server: one row back however many go.
        try await self.count(
            """
            WITH removed AS (DELETE FROM paper_embedding WHERE model = \(model) RETURNING 1)
            SELECT count(*) FROM removed
            """)
    }

    /// A vector as `bytea`: each value's bits as four bytes, little-endian.
    static func bytes(_ vector: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(vector.count * 4)
        for value in vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

    /// The vector `bytes(_:)` wrote (a trailing partial value, which it never writes, is dropped).
    static func floats(_ buffer: ByteBuffer) -> [Float] {
        var buffer = buffer
        var values: [Float] = []
        values.reserveCapacity(buffer.readableBytes / 4)
        while let bits = buffer.readInteger(endianness: .little, as: UInt32.self) {
            values.append(Float(bitPattern: bits))
        }
        return values
    }
}
