import Foundation
import PaperboyTesting
import Testing

@testable import PaperboyEmbed

@Suite("Flat vector index")
struct FlatVectorIndexTests {
    /// Deterministic unit vectors.
    static func vectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        return (0..<count).map { _ in
            let raw = (0..<dimension).map { _ in next() }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return raw.map { $0 / norm }
        }
    }

    static func exact(
        _ query: [Float], _ vectors: [[Float]], limit: Int, allowed: (Int) -> Bool = { _ in true }
    )
        -> [String]
    {
        var scored: [(key: String, score: Float)] = []
        for (slot, vector) in vectors.enumerated() where allowed(slot) {
            let score = vector.withUnsafeBufferPointer { v in
                query.withUnsafeBufferPointer { q in
                    var sum: Float = 0
                    for index in 0..<q.count { sum += q[index] * v[index] }
                    return sum
                }
            }
            scored.append(("k\(slot)", score))
        }
        return scored.sorted { $0.score > $1.score }.prefix(limit).map(\.key)
    }

    @Test("the int8 scan with float re-scoring returns the exact top 10, on one thread and on two, filtered or not")
    func exactTopK() {
        for count in [3_000, 16_500] {
            let vectors = Self.vectors(count, dimension: 384, seed: UInt64(count))
            var index = FlatVectorIndex(dimension: 384)
            for (slot, vector) in vectors.enumerated() { index.set("k\(slot)", vector) }
            for query in Self.vectors(8, dimension: 384, seed: 7) {
                let found = index.search(query, limit: 10)
                #expect(found.map(\.key) == Self.exact(query, vectors, limit: 10))
                #expect(found.map(\.score) == found.map(\.score).sorted(by: >))
                let even = index.search(query, limit: 10, isAllowed: { $0 % 2 == 0 })
                #expect(even.map(\.key) == Self.exact(query, vectors, limit: 10, allowed: { $0 % 2 == 0 }))
            }
        }
    }

    @Test("set replaces, remove moves the last slot in, and searches see both")
    func setAndRemove() {
        let vectors = Self.vectors(50, dimension: 16, seed: 3)
        var index = FlatVectorIndex(dimension: 16)
        for (slot, vector) in vectors.enumerated() { index.set("k\(slot)", vector) }
        #expect(index.count == 50)
        #expect(index.search(vectors[7], limit: 1).first?.key == "k7")
        let removed = index.remove("k7")
        let again = index.remove("k7")
        #expect(removed && !again)
        #expect(index.count == 49)
        #expect(index.vector(of: "k49") == vectors[49])
        #expect(index.search(vectors[49], limit: 1).first?.key == "k49")
        #expect(index.search(vectors[7], limit: 60).allSatisfy { $0.key != "k7" })
        index.set("k3", vectors[9])
        #expect(index.count == 49)
        #expect(Set(index.search(vectors[9], limit: 2).map(\.key)) == ["k3", "k9"])
        #expect(FlatVectorIndex(dimension: 4).search([1, 0, 0, 0], limit: 5).isEmpty)
    }

    @Test("the file round-trips, and a cut or foreign file is refused with where")
    func file() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/v.bin"
        #expect(try FlatVectorIndex.read(path: path) == nil)
        var index = FlatVectorIndex(dimension: 8)
        for (slot, vector) in Self.vectors(30, dimension: 8, seed: 5).enumerated() {
            index.set("paper é\(slot)", vector)
        }
        try index.write(to: path, userData: ["sequence": "42"])
        let read = try #require(try FlatVectorIndex.read(path: path))
        #expect(read.userData == ["sequence": "42"])
        #expect(read.index.keys == index.keys)
        #expect(read.index.vector(of: "paper é29") == index.vector(of: "paper é29"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: path))
        #expect(throws: EmbedError.self) { try FlatVectorIndex.read(path: path) }
        do {
            _ = try FlatVectorIndex.read(path: path)
        } catch {
            #expect(error.code == .fileMalformed)
            #expect(error.message.contains("v.bin") && error.message.contains("at byte"))
        }
        try Data("not a vector file at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: EmbedError.self) { try FlatVectorIndex.read(path: path) }
    }
}
