import Foundation
import PaperboySearch
import PaperboyTesting
import Testing

@Suite("Search time budget")
struct SearchBudgetTests {
    static let schema = IndexSchema(fields: [.init(name: "title", weight: 2), .init(name: "abstract")])

    /// 40,000 documents over a small vocabulary: every word's postings run to hundreds of blocks.
    static func searcher(in directory: TemporaryDirectory) throws -> Searcher {
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: Self.schema)
        writer.backgroundMerges = false
        var generator = SplitMix64(seed: 42)
        for n in 0..<40_000 {
            let words = (0..<12).map { _ in "w\(Int.random(in: 0..<40, using: &generator))" }
            let title = words.prefix(3).joined(separator: " ")
            try writer.add(Document(key: "d\(n)", fields: [title, words.joined(separator: " ")]))
        }
        return try writer.commit()
    }

    @Test("a search past its budget stops, says so, and never returns a document its exclusions match")
    func spentBudget() throws {
        let directory = try TemporaryDirectory()
        let searcher = try Self.searcher(in: directory)
        let parser = QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer())
        let query = try parser.parse((0..<20).map { "w\($0)" }.joined(separator: " ") + " -w30 -w31 -w32")
        let full = searcher.search(query, limit: 10)
        #expect(!full.isPartial)
        let cut = searcher.search(query, limit: 10, budget: .nanoseconds(1))
        #expect(cut.isPartial)
        #expect(!cut.totalHitsIsExact)
        #expect(cut.totalHits < full.totalHits)
        // Every hit of the cut search is a real match: an exhaustive search scores it the same.
        let all = searcher.search(query, limit: 40_000, exhaustive: true)
        let scores = Dictionary(uniqueKeysWithValues: all.hits.map { ($0.key, $0.score) })
        for hit in cut.hits { #expect(scores[hit.key] == hit.score, "\(hit.key) is not a match") }
        // A generous budget changes nothing.
        let roomy = searcher.search(query, limit: 10, budget: .seconds(60))
        #expect(!roomy.isPartial)
        #expect(roomy.hits == full.hits)
    }
}
