import Foundation
import NIOCore
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Embeddings (table `paper_embedding`), vectors as little-endian float32 `bytea`, the bytes
/// SQLite keeps.
extension PostgresStore: EmbeddingStore {
    public func embeddings(model: String, ids: [PaperID]) async throws -> [PaperID: StoredEmbedding] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.rows(
            """
            SELECT paper_id, text_hash, vector FROM paper_embedding
            WHERE model = \(model) AND paper_id = ANY(\(ids.map(\.rawValue)))
            """)
        var found: [PaperID: StoredEmbedding] = [:]
        for row in rows {
            let (id, hash, vector) = try PostgresStore.decode(
                row, (String, String, ByteBuffer).self, table: "paper_embedding")
            let paperID = PaperID(trusted: id)
            found[paperID] = StoredEmbedding(paperID: paperID, textHash: hash, vector: Self.floats(vector))
        }
        return found
    }

    public func saveEmbeddings(_ embeddings: [StoredEmbedding], model: String) async throws {
        guard !embeddings.isEmpty else { return }
        // The last of several embeddings of one paper wins, as with one INSERT OR REPLACE each.
        var latest: [PaperID: StoredEmbedding] = [:]
        var order: [PaperID] = []
        for embedding in embeddings {
            if latest.updateValue(embedding, forKey: embedding.paperID) == nil { order.append(embedding.paperID) }
        }
        let rows = order.map { latest[$0]! }
        try await self.execute(
            """
            INSERT INTO paper_embedding (paper_id, model, text_hash, vector)
            SELECT u.paper_id, \(model), u.text_hash, u.vector
            FROM unnest(\(rows.map(\.paperID.rawValue)), \(rows.map(\.textHash)), \(rows.map { Self.bytes($0.vector) }))
                AS u(paper_id, text_hash, vector)
            ON CONFLICT (model, paper_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector
            """)
    }

    public func embeddingCount(model: String) async throws -> Int {
        try await self.count("SELECT count(*) FROM paper_embedding WHERE model = \(model)")
    }

    @discardableResult
    public func removeEmbeddings(model: String) async throws -> Int {
        try await self.rows("DELETE FROM paper_embedding WHERE model = \(model) RETURNING 1").count
    }

    static func bytes(_ vector: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(vector.count * 4)
        for value in vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

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
