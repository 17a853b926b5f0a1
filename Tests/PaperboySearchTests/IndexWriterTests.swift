import Foundation
import PaperboySearch
import Testing

@Suite("Index writer and boolean queries")
struct IndexWriterTests {
    static let schema = IndexSchema(fields: [.init(name: "title", weight: 2), .init(name: "abstract")])

    static func keys(_ searcher: Searcher, _ query: any Query) -> Set<String> {
        Set(searcher.search(query, limit: 100).hits.map(\.key))
    }

    @Test("adding a key again replaces the document, in the same or a later commit")
    func replace() {
        let writer = IndexWriter(schema: Self.schema)
        writer.add(Document(key: "a", fields: ["apples", ""]))
        writer.add(Document(key: "a", fields: ["bananas", ""]))
        var searcher = writer.commit()
        #expect(Self.keys(searcher, TermQuery(term: "appl")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "banana")) == ["a"])
        writer.add(Document(key: "a", fields: ["cherries", ""]))
        let old = searcher
        searcher = writer.commit()
        #expect(Self.keys(searcher, TermQuery(term: "banana")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "cherri")) == ["a"])
        #expect(searcher.documentCount == 1)
        // The earlier snapshot is unchanged.
        #expect(Self.keys(old, TermQuery(term: "banana")) == ["a"])
    }

    @Test("deletes hide documents; merges keep every live document findable")
    func deleteAndMerge() {
        let writer = IndexWriter(schema: Self.schema)
        writer.maxSegments = 3
        for batch in 0..<10 {
            for n in 0..<5 {
                let id = batch * 5 + n
                writer.add(Document(key: "k\(id)", fields: ["common word\(id)", "batch\(batch)"]))
            }
            if batch > 0 { writer.delete(key: "k\(batch * 5 - 1)") }
            writer.commit()
        }
        let searcher = writer.searcher
        #expect(searcher.segments.count <= 3)
        #expect(searcher.documentCount == 50 - 9)
        #expect(Self.keys(searcher, TermQuery(term: "common")).count == 41)
        #expect(Self.keys(searcher, TermQuery(term: "word4")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "word7")) == ["k7"])
        // Each batch lost its last document to the next batch's delete, but for the last batch.
        #expect(Self.keys(searcher, TermQuery(term: "batch3")).count == 4)
        #expect(Self.keys(searcher, TermQuery(term: "batch9")).count == 5)
    }

    @Test("must, should and must-not combine as documented")
    func booleans() {
        let writer = IndexWriter(schema: Self.schema)
        writer.add(Document(key: "1", fields: ["red apple", ""]))
        writer.add(Document(key: "2", fields: ["green apple", ""]))
        writer.add(Document(key: "3", fields: ["red cherry", ""]))
        writer.add(Document(key: "4", fields: ["yellow banana", ""]))
        let searcher = writer.commit()
        let red = TermQuery(term: "red")
        let apple = TermQuery(term: "appl")
        let green = TermQuery(term: "green")
        #expect(Self.keys(searcher, BooleanQuery([.init(red, .should), .init(apple, .should)])) == ["1", "2", "3"])
        #expect(Self.keys(searcher, BooleanQuery([.init(red, .must), .init(apple, .must)])) == ["1"])
        #expect(Self.keys(searcher, BooleanQuery([.init(apple, .must), .init(green, .mustNot)])) == ["1"])
        #expect(Self.keys(searcher, BooleanQuery([.init(apple, .mustNot)])).isEmpty)
        let withOptional = searcher.search(BooleanQuery([.init(apple, .must), .init(red, .should)]), limit: 10)
        #expect(withOptional.hits.map(\.key) == ["1", "2"])
        #expect(withOptional.hits[0].score > withOptional.hits[1].score)
    }

    @Test("top-k agrees with scoring every document by the formula, on random collections")
    func randomOracle() throws {
        var generator = SplitMix64(seed: 42)
        let vocabulary = (0..<60).map { "w\($0)" }
        for round in 0..<20 {
            let writer = IndexWriter(schema: Self.schema)
            writer.maxSegments = 2
            var documents: [[[String]]] = []
            for n in 0..<200 {
                let title = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                    vocabulary.randomElement(using: &generator)!
                }
                let body = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                    vocabulary.randomElement(using: &generator)!
                }
                writer.add(Document(key: "d\(n)", fields: [title.joined(separator: " "), body.joined(separator: " ")]))
                documents.append([title, body])
                if n % 37 == 0 { writer.commit() }
            }
            let searcher = writer.commit()
            let queryTerms = Array(Set((0..<3).map { _ in vocabulary.randomElement(using: &generator)! }))
            let query = try QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer()).parse(
                queryTerms.joined(separator: " "))
            let top = searcher.search(query, limit: 10)

            // The oracle: BM25F written out over plain arrays.
            let n = Float(documents.count)
            let averages = (0..<2).map { field in Float(documents.reduce(0) { $0 + $1[field].count }) / n }
            let weights: [Float] = [2, 1]
            var expected: [(key: String, score: Float)] = []
            for (index, fields) in documents.enumerated() {
                var score: Float = 0
                var matched = false
                for term in queryTerms {
                    let df = Float(documents.filter { $0[0].contains(term) || $0[1].contains(term) }.count)
                    let idf = Float(log(1 + Double((n - df + 0.5) / (df + 0.5))))
                    var tf: Float = 0
                    for field in 0..<2 {
                        let count = Float(fields[field].filter { $0 == term }.count)
                        tf += weights[field] * count / (0.25 + 0.75 * Float(fields[field].count) / averages[field])
                    }
                    if tf > 0 {
                        matched = true
                        score += idf * tf / (1.2 + tf)
                    }
                }
                if matched { expected.append(("d\(index)", score)) }
            }
            expected.sort { $0.score > $1.score }
            let oracle = Dictionary(uniqueKeysWithValues: expected.map { ($0.key, $0.score) })
            #expect(top.totalHits == expected.count, "round \(round)")
            for (hit, best) in zip(top.hits, expected.prefix(10)) {
                #expect(abs(hit.score - (oracle[hit.key] ?? -1)) < 1e-4, "round \(round): \(hit.key)")
                #expect(abs(hit.score - best.score) < 1e-4, "round \(round): rank of \(hit.key)")
            }
        }
    }
}

/// A small deterministic random number generator for repeatable tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
