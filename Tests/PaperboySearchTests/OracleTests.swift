import Foundation
import PaperboySearch
import PaperboyTesting
import Testing

@Suite("Top-k against the exhaustive oracle")
struct OracleTests {
    static let schema = IndexSchema(fields: [.init(name: "title", weight: 2), .init(name: "abstract")])

    /// Random collections over a small vocabulary with a skewed word distribution, several
    /// segments, deletions and replacements: block-max WAND must return exactly the oracle's top.
    @Test("random collections, OR and AND queries", arguments: 0..<6)
    func random(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed) * 7_919 + 1)
        let vocabulary = (0..<300).map { "w\($0)" }
        func word() -> String {
            // Zipf-like: low indices far more common.
            let u = Double.random(in: 0..<1, using: &generator)
            return vocabulary[min(vocabulary.count - 1, Int(pow(u, 3) * Double(vocabulary.count)))]
        }
        let directory = try TemporaryDirectory()
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: Self.schema)
        writer.backgroundMerges = false
        writer.mergeFactor = 4
        for n in 0..<3_000 {
            let title = (0..<Int.random(in: 2...8, using: &generator)).map { _ in word() }.joined(separator: " ")
            let body = (0..<Int.random(in: 10...120, using: &generator)).map { _ in word() }.joined(separator: " ")
            try writer.add(Document(key: "d\(n % 2_600)", fields: [title, body]))
            if n % 97 == 0 { writer.delete(key: "d\(Int.random(in: 0..<2_600, using: &generator))") }
            if n % 400 == 399 { try writer.commit() }
        }
        let searcher = try writer.commit()
        #expect(searcher.segments.count > 1)
        let parser = QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer())
        for round in 0..<60 {
            let text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in word() }.joined(separator: " ")
            let mode: QueryParser.Mode = round % 4 == 3 ? .and : .or
            let query = try parser.parse(text, mode: mode)
            for limit in [1, 10, 100] {
                let fast = searcher.search(query, limit: limit)
                let oracle = try #require(SearchOracle.topDocs(query, searcher: searcher, limit: limit))
                #expect(
                    fast.hits.map(\.key) == oracle.hits.map(\.key),
                    "seed \(seed) round \(round) limit \(limit): \(text)")
                #expect(fast.hits.map(\.score) == oracle.hits.map(\.score), "seed \(seed) round \(round): scores")
                if fast.totalHitsIsExact { #expect(fast.totalHits == oracle.totalHits) }
            }
        }
    }

    /// A filter drives the disjunction by seeks (a conjunction leads it), jumping over windows:
    /// pruned results must still be those of exhaustive scoring.
    @Test("long disjunctions under a filter, pruned against exhaustive", arguments: 0..<3)
    func filtered(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed) * 104_729 + 3)
        let schema = IndexSchema(
            fields: [.init(name: "title", weight: 2), .init(name: "abstract")], keywordFields: ["tag"])
        let vocabulary = (0..<200).map { "w\($0)" }
        func word() -> String {
            let u = Double.random(in: 0..<1, using: &generator)
            return vocabulary[min(vocabulary.count - 1, Int(pow(u, 2.5) * Double(vocabulary.count)))]
        }
        let directory = try TemporaryDirectory()
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: schema)
        writer.backgroundMerges = false
        for n in 0..<6_000 {
            let title = (0..<Int.random(in: 3...10, using: &generator)).map { _ in word() }.joined(separator: " ")
            let body = (0..<Int.random(in: 20...90, using: &generator)).map { _ in word() }.joined(separator: " ")
            let tag = Int.random(in: 0..<10, using: &generator) < 3 ? "kept" : "other"
            try writer.add(Document(key: "d\(n)", fields: [title, body], keywords: [[tag]]))
            if n % 2_500 == 2_499 { try writer.commit() }
        }
        let searcher = try writer.commit()
        for round in 0..<40 {
            let words = (0..<Int.random(in: 4...16, using: &generator)).map { _ in word() }
            var clauses = words.map { BooleanQuery.Clause(TermQuery(term: $0), .should) }
            clauses.append(BooleanQuery.Clause(KeywordQuery(field: 0, value: "kept"), .filter))
            let query = BooleanQuery(clauses)
            let pruned = searcher.search(query, limit: 10)
            let exhaustive = searcher.search(query, limit: 10, exhaustive: true)
            #expect(!exhaustive.hits.isEmpty)
            #expect(pruned.hits.map(\.key) == exhaustive.hits.map(\.key), "seed \(seed) round \(round)")
            #expect(pruned.hits.map(\.score) == exhaustive.hits.map(\.score), "seed \(seed) round \(round)")
        }
    }

    @Test(
        "3,000 real papers, 300 title queries",
        .enabled(if: SharedData.url(realData) != nil, "needs ../shared/data/arxiv, which is absent: skipped")
    )
    func realPapers() throws {
        let url = try #require(SharedData.url(Self.realData))
        let lines = try LinePrefix.read(url.path, count: 3_300)
        let directory = try TemporaryDirectory()
        let writer = try IndexWriter(directory: IndexDirectory(path: directory.path), schema: Self.schema)
        var titles: [String] = []
        for (number, line) in lines.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let title = object["title"] as! String
            if number >= 3_000 {
                titles.append(title)
                continue
            }
            try writer.add(Document(key: object["id"] as! String, fields: [title, object["abstract"] as! String]))
            if number % 1_000 == 999 { try writer.commit() }
        }
        let searcher = try writer.commit()
        let parser = QueryParser(schema: Self.schema, analyzer: EnglishAnalyzer())
        for title in titles {
            let query = try parser.parse(String(title.map { "\":+-*".contains($0) ? " " : $0 }))
            let fast = searcher.search(query, limit: 10)
            let oracle = try #require(SearchOracle.topDocs(query, searcher: searcher, limit: 10))
            #expect(fast.hits.map(\.key) == oracle.hits.map(\.key), "\(title)")
            #expect(fast.hits.map(\.score) == oracle.hits.map(\.score), "\(title)")
        }
    }

    static let realData = "data/arxiv/papers-156k.jsonl.gz"
}

/// The first lines of a (gzip) text file, read with gunzip through the shell's zcat.
enum LinePrefix {
    static func read(_ path: String, count: Int) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "zcat -f '\(path)' | head -n \(count)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
