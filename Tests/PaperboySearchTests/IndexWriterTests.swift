import Foundation
import PaperboySearch
import PaperboyTesting
import Testing

@Suite("Index writer and boolean queries")
struct IndexWriterTests {
    static let schema = IndexSchema(
        fields: [.init(name: "title", weight: 2), .init(name: "abstract")],
        keywordFields: ["category"],
        numericFields: ["day"]
    )

    static func keys(_ searcher: Searcher, _ query: any Query) -> Set<String> {
        Set(searcher.search(query, limit: 100).hits.map(\.key))
    }

    static func writer(_ directory: TemporaryDirectory) throws -> IndexWriter {
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: Self.schema)
        writer.backgroundMerges = false
        return writer
    }

    @Test("adding a key again replaces the document, in the same or a later commit")
    func replace() throws {
        let directory = try TemporaryDirectory()
        let writer = try Self.writer(directory)
        try writer.add(Document(key: "a", fields: ["apples", ""]))
        try writer.add(Document(key: "a", fields: ["bananas", ""]))
        var searcher = try writer.commit()
        #expect(Self.keys(searcher, TermQuery(term: "appl")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "banana")) == ["a"])
        try writer.add(Document(key: "a", fields: ["cherries", ""]))
        let old = searcher
        searcher = try writer.commit()
        #expect(Self.keys(searcher, TermQuery(term: "banana")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "cherri")) == ["a"])
        #expect(searcher.documentCount == 1)
        // The earlier snapshot is unchanged.
        #expect(Self.keys(old, TermQuery(term: "banana")) == ["a"])
    }

    @Test("deletes hide documents; merges keep every live document findable")
    func deleteAndMerge() throws {
        let directory = try TemporaryDirectory()
        let writer = try Self.writer(directory)
        writer.mergeFactor = 3
        for batch in 0..<10 {
            for n in 0..<5 {
                let id = batch * 5 + n
                try writer.add(Document(key: "k\(id)", fields: ["common word\(id)", "batch\(batch)"]))
            }
            if batch > 0 { writer.delete(key: "k\(batch * 5 - 1)") }
            try writer.commit()
        }
        let searcher = writer.searcher
        #expect(searcher.segments.count < 10, "merged")
        #expect(searcher.documentCount == 50 - 9)
        #expect(Self.keys(searcher, TermQuery(term: "common")).count == 41)
        #expect(Self.keys(searcher, TermQuery(term: "word4")).isEmpty)
        #expect(Self.keys(searcher, TermQuery(term: "word7")) == ["k7"])
        // Each batch lost its last document to the next batch's delete, but for the last batch.
        #expect(Self.keys(searcher, TermQuery(term: "batch3")).count == 4)
        #expect(Self.keys(searcher, TermQuery(term: "batch9")).count == 5)
    }

    @Test("a reopened index has the last commit: documents, deletions and user data")
    func reopen() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try Self.writer(directory)
            try writer.add(Document(key: "a", fields: ["alpha", ""]))
            try writer.add(Document(key: "b", fields: ["beta", ""]))
            try writer.commit(userData: ["sequence": "2"])
            writer.delete(key: "a")
            try writer.add(Document(key: "c", fields: ["gamma", ""]))  // not committed
        }
        let writer = try Self.writer(directory)
        #expect(writer.userData == ["sequence": "2"])
        #expect(Self.keys(writer.searcher, TermQuery(term: "alpha")) == ["a"])
        #expect(Self.keys(writer.searcher, TermQuery(term: "gamma")).isEmpty)
        let reader = try #require(try IndexReader.open(IndexDirectory(path: directory.path), schema: Self.schema))
        #expect(reader.searcher.documentCount == 2)
    }

    @Test("a second writer on the same folder is refused")
    func lock() throws {
        let directory = try TemporaryDirectory()
        let first = try Self.writer(directory)
        #expect(throws: SearchError.self) { try Self.writer(directory) }
        _ = first
    }

    @Test("must, should, filter and must-not combine as documented")
    func booleans() throws {
        let directory = try TemporaryDirectory()
        let writer = try Self.writer(directory)
        try writer.add(Document(key: "1", fields: ["red apple", ""], keywords: [["fruit"]], numbers: [10]))
        try writer.add(Document(key: "2", fields: ["green apple", ""], keywords: [["fruit", "green"]], numbers: [20]))
        try writer.add(Document(key: "3", fields: ["red cherry", ""], keywords: [["fruit"]], numbers: [30]))
        try writer.add(Document(key: "4", fields: ["yellow banana", ""], keywords: [["Fruit"]], numbers: [nil]))
        let searcher = try writer.commit()
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
        // Keyword filters (case-insensitive) and numeric ranges narrow without scoring.
        let green2 = KeywordQuery(field: 0, value: "GREEN")
        #expect(Self.keys(searcher, BooleanQuery([.init(apple, .should), .init(green2, .filter)])) == ["2"])
        #expect(
            Self.keys(
                searcher,
                BooleanQuery([.init(MatchAllQuery(), .must), .init(KeywordQuery(field: 0, value: "fruit"), .filter)])
            ).count == 4)
        let range = NumericRangeQuery(field: 0, range: 15...30)
        #expect(Self.keys(searcher, BooleanQuery([.init(red, .should), .init(range, .filter)])) == ["3"])
        #expect(
            Self.keys(
                searcher,
                BooleanQuery([
                    .init(MatchAllQuery(), .must), .init(NumericRangeQuery(field: 0, range: 0...100), .filter),
                ])) == ["1", "2", "3"])
        #expect(
            Self.keys(
                searcher,
                BooleanQuery([
                    .init(MatchAllQuery(), .must), .init(KeywordQuery(field: 0, value: "gr", isPrefix: true), .filter),
                ])) == ["2"])
    }

    @Test("phrases match words next to each other within one field")
    func phrases() throws {
        let directory = try TemporaryDirectory()
        let writer = try Self.writer(directory)
        try writer.add(Document(key: "1", fields: ["large language models", "we study models"]))
        try writer.add(Document(key: "2", fields: ["models of language", "a large model of the language"]))
        try writer.add(Document(key: "3", fields: ["language", "large"]))
        let searcher = try writer.commit()
        let parser = QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer())
        #expect(Self.keys(searcher, try parser.parse("\"large language\"")) == ["1"])
        #expect(
            Self.keys(searcher, try parser.parse("\"model of the language\"")) == ["2"], "stop words keep their gaps")
        #expect(Self.keys(searcher, try parser.parse("title:\"language models\"")) == ["1"])
        #expect(Self.keys(searcher, try parser.parse("abstract:\"language models\"")).isEmpty)
        #expect(Self.keys(searcher, try parser.parse("\"language large\"")).isEmpty, "order matters")
    }

    @Test("prefixes expand to the indexed terms that start with them")
    func prefixes() throws {
        let directory = try TemporaryDirectory()
        let writer = try Self.writer(directory)
        try writer.add(Document(key: "1", fields: ["diffusion", ""]))
        try writer.add(Document(key: "2", fields: ["diffuse light", ""]))
        try writer.add(Document(key: "3", fields: ["different", ""]))
        let searcher = try writer.commit()
        let parser = QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer())
        #expect(Self.keys(searcher, try parser.parse("diffus*")) == ["1", "2"])
        #expect(Self.keys(searcher, try parser.parse("diff*")) == ["1", "2", "3"])
    }
}
