import Foundation
import PaperboySearch
import PaperboyTesting
import Testing

@Suite("BM25F scoring")
struct BM25FTests {
    /// title weighs 2, abstract 1; b = 0.75 and k1 = 1.2.
    static let schema = IndexSchema(fields: [.init(name: "title", weight: 2), .init(name: "abstract", weight: 1)])

    static func index() throws -> Searcher {
        let directory = try TemporaryDirectory()
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: schema)
        try writer.add(Document(key: "d0", fields: ["cats", "cats chase mice"]))
        try writer.add(Document(key: "d1", fields: ["dogs", "dogs chase cats"]))
        try writer.add(Document(key: "d2", fields: ["birds", "birds sing"]))
        return try writer.commit()
    }

    /// Worked by hand. N = 3; "cat" is in d0 and d1, so df = 2 and
    /// idf = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6 = 0.470004.
    /// Title lengths 1, 1, 1 (average 1); abstract lengths 3, 3, 2 (average 8/3).
    /// d0: title tf 1 → 2 · 1 / (0.25 + 0.75 · 1/1) = 2; abstract tf 1 → 1 / (0.25 + 0.75 · 3/(8/3)) = 0.914286;
    ///     tf~ = 2.914286, score = 0.470004 · 2.914286 / (1.2 + 2.914286) = 0.332920.
    /// d1: abstract only → tf~ = 0.914286, score = 0.470004 · 0.914286 / 2.114286 = 0.203245.
    @Test("a one-term query scores as worked by hand")
    func oneTerm() throws {
        let searcher = try Self.index()
        let query = try QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer()).parse("cat")
        let top = searcher.search(query, limit: 10)
        #expect(top.totalHits == 2)
        #expect(top.hits.map(\.key) == ["d0", "d1"])
        #expect(abs(top.hits[0].score - 0.332920) < 1e-4)
        #expect(abs(top.hits[1].score - 0.203245) < 1e-4)
    }

    /// "chase" is in d0 and d1 abstracts (df 2, same idf); "sing" only in d2 (df 1,
    /// idf = ln(1 + 2.5/1.5) = 0.980829). d2's abstract has length 2: norm = 0.25 + 0.75 · 2/(8/3) = 0.8125,
    /// tf~ = 1.230769, score = 0.980829 · 1.230769 / 2.430769 = 0.496622.
    @Test("a two-term query sums the terms' scores")
    func twoTerms() throws {
        let searcher = try Self.index()
        let query = try QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer()).parse("chase sing")
        let top = searcher.search(query, limit: 10)
        #expect(top.hits.map(\.key) == ["d2", "d0", "d1"])
        #expect(abs(top.hits[0].score - 0.496622) < 1e-4)
        #expect(abs(top.hits[1].score - 0.203245) < 1e-4)
        #expect(top.hits[1].score == top.hits[2].score)
    }

    @Test("the idf is never negative")
    func idf() {
        #expect(BM25F.idf(documentFrequency: 100, documentCount: 100) > 0)
        #expect(abs(BM25F.idf(documentFrequency: 2, documentCount: 3) - Float(log(1.6))) < 1e-6)
    }

    @Test("a field-restricted term scores only that field")
    func fieldRestricted() throws {
        let searcher = try Self.index()
        let top = searcher.search(TermQuery(term: "cat", fields: [0]), limit: 10)
        #expect(top.hits.map(\.key) == ["d0"])
        // Title only: tf~ = 2, score = 0.470004 · 2 / 3.2 = 0.293753.
        #expect(abs(top.hits[0].score - 0.293753) < 1e-4)
    }
}
