import ArgumentParser
import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySearch
import PaperboyServices

/// `paperboy bench …`: measurements printed as figures, never asserted in tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Paperboy's speed on real data.",
        subcommands: [SearchBench.self]
    )
}

/// `paperboy bench search`: index build rate and query latency of the search engine, in process.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Build the search index over papers from a file and time top-10 queries made of paper titles."
    )

    @Option(help: "A paper JSON-lines file (plain or gzip).")
    var data = "../shared/data/arxiv/papers-156k.jsonl.gz"

    @Option(help: "Index at most this many papers (default: all).")
    var docs: Int?

    @Option(help: "How many queries to run.")
    var queries = 1_000

    @Option(help: "Results per query.")
    var limit = 10

    @Option(help: "Run the query set this many times (for profiling); figures are from the last run.")
    var rounds = 1

    @Flag(help: "Check every query's results against the exhaustive oracle (exits 1 on a difference).")
    var verify = false

    func validate() throws {
        guard FileManager.default.fileExists(atPath: self.data) else {
            throw ValidationError("no data file at \(self.data) (the shared data folder is needed; see README)")
        }
        if let docs, docs < 1 { throw ValidationError("--docs must be at least 1") }
        if self.queries < 1 { throw ValidationError("--queries must be at least 1") }
    }

    func run() async throws {
        let reader = try PaperFileReader(path: self.data, listingYear: CalendarDay.today().year)
        var papers: [Paper] = []
        let wanted = self.docs.map { $0 + self.queries } ?? Int.max
        while papers.count < wanted, let batch = try reader.nextBatch(size: 10_000) { papers += batch.papers }
        let indexed = self.docs.map { Array(papers.prefix($0)) } ?? papers
        // Queries: titles of papers not indexed when there are enough, else a fixed sample of indexed ones.
        var queryPapers = Array(papers.dropFirst(indexed.count).prefix(self.queries))
        let heldOut = queryPapers.count == self.queries
        if !heldOut {
            var generator = SeededGenerator(seed: 2_026)
            queryPapers = (0..<self.queries).map { _ in indexed.randomElement(using: &generator)! }
        }

        let clock = ContinuousClock()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paperboy-bench-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try IndexWriter(directory: IndexDirectory(path: folder), schema: PaperIndex.schema)
        let buildStart = clock.now
        for paper in indexed { try writer.add(PaperIndex.document(for: paper)) }
        try writer.commit()
        try writer.waitForMerges()
        let searcher = writer.searcher
        let buildSeconds = (clock.now - buildStart).seconds

        let parser = PaperIndex.parser(analyzer: writer.analyzer)
        var latencies: [Double] = []
        var hits = 0
        for _ in 1..<max(1, self.rounds) {
            for paper in queryPapers {
                _ = searcher.search(try parser.parse(BEIREval.plain(paper.title)), limit: self.limit)
            }
        }
        for paper in queryPapers {
            let start = clock.now
            let top = searcher.search(try parser.parse(BEIREval.plain(paper.title)), limit: self.limit)
            latencies.append((clock.now - start).seconds * 1_000)
            hits += top.hits.count
        }
        if self.verify {
            var differences = 0
            for paper in queryPapers {
                let query = try parser.parse(BEIREval.plain(paper.title))
                let fast = searcher.search(query, limit: self.limit).hits
                guard let oracle = SearchOracle.topDocs(query, searcher: searcher, limit: self.limit)?.hits else {
                    continue
                }
                if fast.map(\.key) != oracle.map(\.key) || fast.map(\.score) != oracle.map(\.score) {
                    differences += 1
                    if differences <= 5 {
                        print(
                            "DIFFERENT: \(paper.title)\n  wand:   \(fast.map { "\($0.key) \($0.score)" })\n  oracle: \(oracle.map { "\($0.key) \($0.score)" })"
                        )
                    }
                }
            }
            print(
                "verify:   \(queryPapers.count - differences) of \(queryPapers.count) queries identical to the exhaustive oracle"
            )
            if differences > 0 { throw ExitCode(1) }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }

        print(
            "Paperboy search benchmark (in process, one thread, top-\(self.limit), BM25F over title/abstract/authors)")
        print("data:     \(self.data)")
        print(
            "indexed:  \(indexed.count) papers in \(String(format: "%.2f", buildSeconds)) s = \(Int(Double(indexed.count) / buildSeconds)) papers/s; index \(searcher.byteCount / 1_048_576) MiB on disk in \(searcher.segments.count) segments"
        )
        print(
            "queries:  \(queryPapers.count) paper titles (\(heldOut ? "of papers not in the index" : "a fixed sample of indexed papers")), \(hits / max(1, queryPapers.count)) hits each on average"
        )
        print(
            String(
                format: "latency:  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms", percentile(0.5),
                percentile(0.9), percentile(0.99), latencies.reduce(0, +) / Double(latencies.count)))
        print("anchors:  tantivy and SQLite FTS5 side by side arrive with the search-engine issue; none measured here")
    }
}

/// A small deterministic generator (SplitMix64), so that runs pick the same queries.
struct SeededGenerator: RandomNumberGenerator {
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
