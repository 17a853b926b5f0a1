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
        abstract: "Measure Paperboy's speed on real data, beside the anchors.",
        subcommands: [
            SearchBench.self, HostileQueryBench.self, IngestBench.self, DigestBench.self, EmbedBench.self,
            VectorBench.self,
        ]
    )
}

/// `paperboy bench search`: index build rate, index size and query latency of the search engine,
/// in process, beside tantivy and SQLite FTS5 on the same papers and queries.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Build the search index and time long (title) and short (2–3 word) queries, beside tantivy and FTS5.",
        discussion: """
            1,000 papers of the data file are held out; their titles are the long queries and 2–3 word \
            pieces of them the short ones. The index holds --docs papers: the others from the file, and \
            when more are asked for than the file has, perturbed copies of them (words shuffled and \
            swapped), which the output says. The anchors run from a virtualenv that \
            scripts/bench/run-anchors.sh makes with tantivy from PyPI.
            """
    )

    @Option(help: "A paper JSON-lines file (plain or gzip).")
    var data = "../shared/data/arxiv/papers-156k.jsonl.gz"

    @Option(help: "How many papers to index (default: all but the held-out ones).")
    var docs: Int?

    @Option(help: "How many queries per set.")
    var queries = 1_000

    @Option(help: "Results per query.")
    var limit = 10

    @Flag(inversion: .prefixedNo, help: "Run tantivy and SQLite FTS5 beside Paperboy.")
    var anchors = true

    @Option(help: "How many queries per set FTS5 runs (it takes seconds per query at a million papers).")
    var fts5Sample: Int?

    @Option(help: "Run the query sets this many times (for profiling); figures are from the last run.")
    var rounds = 1

    @Flag(help: "Check every query's results against the exhaustive oracle (exits 1 on a difference).")
    var verify = false

    @Option(help: "Print this many of the slowest queries of each set, with their time and terms (for profiling).")
    var slowest = 0

    @Option(
        help:
            "Build each index (Paperboy's and tantivy's) this many times and count the fastest (the machine is noisy).")
    var buildRounds = 1

    func validate() throws {
        guard FileManager.default.fileExists(atPath: self.data) else {
            throw ValidationError("no data file at \(self.data) (the shared data folder is needed; see README)")
        }
        if let docs, docs < 1 { throw ValidationError("--docs must be at least 1") }
        if self.queries < 1 { throw ValidationError("--queries must be at least 1") }
    }

    func run() async throws {
        let corpus = try BenchCorpus(path: self.data, documents: self.docs, heldOut: self.queries)
        print("Paperboy search benchmark: in process, one query at a time, top-\(self.limit), OR semantics")
        print("data:      \(self.data)")
        print("indexed:   \(corpus.description)")
        print(
            "queries:   \(corpus.longQueries.count) long (titles of held-out papers), \(corpus.shortQueries.count) short (2–3 words of them)"
        )

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-bench-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let clock = ContinuousClock()
        var buildSeconds = Double.infinity
        var writer: IndexWriter?
        for round in 0..<max(1, self.buildRounds) {
            writer = nil
            let folder = work + "/paperboy\(round)"
            let candidate = try IndexWriter(directory: IndexDirectory(path: folder), schema: PaperIndex.schema)
            let buildStart = clock.now
            for start in stride(from: 0, to: corpus.documents.count, by: 20_000) {
                try candidate.add(
                    contentsOf: Array(corpus.documents[start..<min(start + 20_000, corpus.documents.count)]))
            }
            try candidate.commit()
            try candidate.waitForMerges()
            buildSeconds = min(buildSeconds, (clock.now - buildStart).seconds)
            writer = candidate
            if round + 1 < self.buildRounds { try? FileManager.default.removeItem(atPath: folder) }
        }
        let searcher = writer!.searcher
        let ours = BenchFigures(
            buildSeconds: buildSeconds,
            documents: corpus.documents.count,
            indexBytes: searcher.byteCount,
            long: try self.time(corpus.longQueries, searcher),
            short: try self.time(corpus.shortQueries, searcher)
        )
        if self.verify { try self.verify(corpus.longQueries + corpus.shortQueries, searcher) }

        var tantivy: BenchFigures?
        var fts5: BenchFigures?
        var sample = 0
        if self.anchors {
            // Ours first, so that a failing anchor leaves them on record.
            BenchFigures.printTable(ours: ours, tantivy: nil, fts5: nil, fts5Sample: 0, anchorsFollow: true)
            fflush(nil)
            sample =
                self.fts5Sample
                ?? (corpus.documents.count > 300_000 ? 20 : corpus.documents.count > 50_000 ? 100 : 1_000)
            let report = try corpus.runAnchors(in: work, fts5Sample: sample, buildRounds: self.buildRounds)
            tantivy = report.tantivy
            fts5 = report.fts5
        }
        BenchFigures.printTable(ours: ours, tantivy: tantivy, fts5: fts5, fts5Sample: sample)
    }

    private func time(_ queries: [String], _ searcher: Searcher) throws -> Latencies {
        let parser = PaperIndex.parser(analyzer: searcher.analyzer)
        let parsed = try queries.map { try parser.parse($0) }
        for _ in 1..<max(1, self.rounds) {
            for query in parsed { _ = searcher.search(query, limit: self.limit) }
        }
        let clock = ContinuousClock()
        var milliseconds: [Double] = []
        for text in queries {
            let start = clock.now
            _ = searcher.search(try parser.parse(text), limit: self.limit)
            milliseconds.append((clock.now - start).seconds * 1_000)
        }
        if self.slowest > 0 {
            for (text, time) in zip(queries, milliseconds).sorted(by: { $0.1 > $1.1 }).prefix(self.slowest) {
                let terms = try parser.parse(text).terms
                print(String(format: "slow:      %7.3f ms  %2d terms  ", time, terms.count) + text)
            }
        }
        return Latencies(milliseconds)
    }

    private func verify(_ queries: [String], _ searcher: Searcher) throws {
        let parser = PaperIndex.parser(analyzer: searcher.analyzer)
        var differences = 0
        for text in queries {
            for mode in QueryParser.Mode.allCases {
                let query = try parser.parse(text, mode: mode)
                let fast = searcher.search(query, limit: self.limit).hits
                guard let oracle = SearchOracle.topDocs(query, searcher: searcher, limit: self.limit)?.hits else {
                    continue
                }
                if fast.map(\.key) != oracle.map(\.key) || fast.map(\.score) != oracle.map(\.score) {
                    differences += 1
                    if differences <= 5 { print("DIFFERENT (\(mode)): \(text)") }
                }
            }
        }
        print(
            "verify:    \(queries.count * 2 - differences) of \(queries.count * 2) queries (OR and AND) identical to the exhaustive oracle"
        )
        if differences > 0 { throw ExitCode(1) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
