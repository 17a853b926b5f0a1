import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``EmbeddingStore`` must pass.
public enum EmbeddingStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any EmbeddingStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "embeddings round-trip bit for bit, one per paper and model, replaced", run: roundTrip),
        Check(name: "removing a model's embeddings leaves the others", run: removeModel),
    ]

    static func roundTrip(_ store: any EmbeddingStore) async throws {
        let a = PaperID(try! ArxivID(parsing: "2503.00001"))
        let b = PaperID(try! ArxivID(parsing: "2503.00002"))
        let odd: [Float] = [0.25, -1.5, .leastNonzeroMagnitude, -0.0, 3.4e38, 1 / 3]
        try expectEqual(try await store.embeddings(model: "m", ids: [a]), [:], "nothing stored yet")
        try await store.saveEmbeddings(
            [
                StoredEmbedding(paperID: a, textHash: "h1", vector: odd),
                .init(paperID: b, textHash: "h2", vector: [1, 2]),
            ],
            model: "m")
        let found = try await store.embeddings(model: "m", ids: [a, b, PaperID(try! ArxivID(parsing: "2503.00003"))])
        try expectEqual(found[a]?.vector.map(\.bitPattern), odd.map(\.bitPattern), "the vector bit for bit")
        try expectEqual(found[a]?.textHash, "h1", "the text hash")
        try expectEqual(found.count, 2, "an absent paper is left out")
        try expectEqual(try await store.embeddings(model: "other", ids: [a]), [:], "another model has none")
        try await store.saveEmbeddings([StoredEmbedding(paperID: a, textHash: "h3", vector: [9])], model: "m")
        try expectEqual(
            try await store.embeddings(model: "m", ids: [a])[a],
            StoredEmbedding(paperID: a, textHash: "h3", vector: [9]),
            "a new text replaces the old embedding")
        try expectEqual(try await store.embeddingCount(model: "m"), 2, "one per paper")
        try await store.saveEmbeddings([], model: "m")
        let many = (0..<1_200).map {
            StoredEmbedding(paperID: PaperID(trusted: "t-\($0)"), textHash: "x", vector: [Float($0)])
        }
        try await store.saveEmbeddings(many, model: "big")
        let back = try await store.embeddings(model: "big", ids: many.map(\.paperID))
        try expectEqual(back.count, 1_200, "more ids than one statement takes")
        try expectEqual(back[PaperID(trusted: "t-777")]?.vector, [777], "the right vector for its id")
    }

    static func removeModel(_ store: any EmbeddingStore) async throws {
        let a = PaperID(try! ArxivID(parsing: "2503.00001"))
        try await store.saveEmbeddings([StoredEmbedding(paperID: a, textHash: "h", vector: [1])], model: "m")
        try await store.saveEmbeddings([StoredEmbedding(paperID: a, textHash: "h", vector: [2])], model: "n")
        try expectEqual(try await store.removeEmbeddings(model: "m"), 1, "one removed")
        try expectEqual(try await store.embeddingCount(model: "m"), 0, "none left of m")
        try expectEqual(try await store.embeddings(model: "n", ids: [a])[a]?.vector, [2], "n keeps its own")
    }
}
