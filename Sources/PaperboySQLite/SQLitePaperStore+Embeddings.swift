import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Embeddings live in the same file (table `paper_embedding`), vectors as little-endian float32
/// BLOBs.
extension SQLitePaperStore: EmbeddingStore {
    public func embeddings(model: String, ids: [PaperID]) async throws -> [PaperID: StoredEmbedding] {
        guard !ids.isEmpty else { return [:] }
        return try await self.read { db in
            var found: [PaperID: StoredEmbedding] = [:]
            try Self.inChunks(ids) { marks, chunk in
                let rows = try Row.fetchCursor(
                    db,
                    sql:
                        "SELECT paper_id, text_hash, vector FROM paper_embedding WHERE model = ? AND paper_id IN (\(marks))",
                    arguments: StatementArguments([model] + chunk))
                while let row = try rows.next() {
                    let id = PaperID(trusted: row[0])
                    found[id] = StoredEmbedding(paperID: id, textHash: row[1], vector: Self.floats(row[2]))
                }
            }
            return found
        }
    }

    public func saveEmbeddings(_ embeddings: [StoredEmbedding], model: String) async throws {
        guard !embeddings.isEmpty else { return }
        try await self.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO paper_embedding (paper_id, model, text_hash, vector) VALUES (?, ?, ?, ?)")
            for embedding in embeddings {
                try statement.execute(arguments: [
                    embedding.paperID.rawValue, model, embedding.textHash, Self.blob(embedding.vector),
                ])
            }
        }
    }

    public func embeddingCount(model: String) async throws -> Int {
        try await self.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_embedding WHERE model = ?", arguments: [model]) ?? 0
        }
    }

    @discardableResult
    public func removeEmbeddings(model: String) async throws -> Int {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM paper_embedding WHERE model = ?", arguments: [model])
            return db.changesCount
        }
    }

    static func blob(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(_ data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<raw.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}
