import ArgumentParser
import Foundation
import Glibc
import PaperboySearch
import PaperboyServices

/// `paperboy bench hostile`: the costliest queries the parser's limits let through, timed in CPU
/// time on the real papers, beside the budget one query may spend (about 50 ms), and the queries
/// past the limits, which must be refused at once.
struct HostileQueryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile",
        abstract: "Time the costliest queries the limits allow (CPU ms each, parse + search + snippets).",
        discussion: """
            The queries are made from the index itself: its most frequent words (256 of them, in OR \
            and AND mode, as a phrase, as exclusions, in one field), its two-letter prefixes with \
            the most terms behind them (16 of them), and mixes of these. Each runs --rounds times; \
            the figure is the slowest round's CPU time. Snippets are cut for the top 20 as the \
            search page does.
            """
    )

    @Option(help: "A paper JSON-lines file (plain or gzip).")
    var data = "../shared/data/arxiv/papers-156k.jsonl.gz"

    @Option(help: "How many times each query runs.")
    var rounds = 5

    @Option(help: "The CPU budget of one query, in milliseconds (exit status 1 when one is over it).")
    var budget = 50.0

    @Flag(inversion: .prefixedNo, help: "Also time each query once without the engine's time budget (slow).")
    var unbounded = true

    func validate() throws {
        guard FileManager.default.fileExists(atPath: self.data) else {
            throw ValidationError("no data file at \(self.data) (the shared data folder is needed; see README)")
        }
    }

    func run() async throws {
        let corpus = try BenchCorpus(path: self.data, documents: nil, heldOut: 1)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paperboy-hostile-\(UUID().uuidString)"
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let writer = try IndexWriter(directory: IndexDirectory(path: work), schema: PaperIndex.schema)
        for start in stride(from: 0, to: corpus.documents.count, by: 20_000) {
            try writer.add(contentsOf: Array(corpus.documents[start..<min(start + 20_000, corpus.documents.count)]))
        }
        try writer.commit()
        try writer.waitForMerges()
        let searcher = writer.searcher
        let parser = PaperIndex.parser(analyzer: searcher.analyzer)
        let limits = parser.limits
        print("Hostile queries: \(corpus.documents.count) papers, limits \(limits), budget \(self.budget) ms CPU")

        let words = Self.frequentWords(corpus.documents, count: limits.maxTerms)
        let prefixes = Self.widestPrefixes(corpus.documents, count: limits.maxPrefixes)
        let cases: [(String, String, QueryParser.Mode)] = [
            ("256 most frequent words, OR", words.joined(separator: " "), .or),
            ("256 most frequent words, AND", words.joined(separator: " "), .and),
            ("256 most frequent words as +required", words.map { "+" + $0 }.joined(separator: " "), .or),
            ("a phrase of 256 frequent words", "\"" + words.joined(separator: " ") + "\"", .or),
            ("128 words, 128 exclusions", Self.alternate(words), .or),
            ("256 words in title:", words.map { "title:" + $0 }.joined(separator: " "), .or),
            ("16 widest two-letter prefixes", prefixes.map { $0 + "*" }.joined(separator: " "), .or),
            (
                "16 prefixes + 240 frequent words",
                (prefixes.map { $0 + "*" } + words.prefix(limits.maxTerms - prefixes.count)).joined(separator: " "),
                .or
            ),
            ("16 prefixes, AND", prefixes.map { $0 + "*" }.joined(separator: " "), .and),
            (
                "256 category filters + a word",
                (0..<255).map { "cat:cs.\($0)" }.joined(separator: " ") + " model", .or
            ),
            ("date ranges and exclusions", "from:2024-01 to:2026-08 " + Self.alternate(Array(words.prefix(200))), .or),
        ]
        var worst = 0.0
        var positions: [String: Int] = [:]
        for (position, document) in corpus.documents.enumerated() { positions[document.key] = position }
        let highlighter = Highlighter(analyzer: searcher.analyzer)
        let expansionStart = ProcessCPUTime.milliseconds()
        var expanded = 0
        for prefix in prefixes { expanded += PrefixQuery(prefix: prefix).expansions(searcher).count }
        print(
            String(
                format: "prefix expansion: %d prefixes (%@) to %d terms in %.2f ms CPU, %d segments",
                prefixes.count, prefixes.joined(separator: " ") as NSString, expanded,
                ProcessCPUTime.milliseconds() - expansionStart, searcher.segments.count))
        print("  query                                      served (ms CPU)   unbounded   matches")
        for (name, text, mode) in cases {
            var served = 0.0
            var unbounded = 0.0
            var partial = false
            var hits = 0
            for round in 0..<max(1, self.rounds) {
                // As serve runs it: parse, search within the budget, snippets for the top 20.
                let start = ProcessCPUTime.milliseconds()
                let query = try parser.parse(text, mode: mode)
                let top = searcher.search(query, limit: 20, budget: PaperSearch.queryBudget)
                let terms = Set(query.terms)
                for hit in top.hits {
                    if let position = positions[hit.key] {
                        let document = corpus.documents[position]
                        _ = highlighter.snippet(of: document.fields[0], terms: terms, maxBytes: 1_000)
                        _ = highlighter.snippet(of: document.fields[1], terms: terms, maxBytes: 320)
                    }
                }
                served = max(served, ProcessCPUTime.milliseconds() - start)
                partial = top.isPartial
                if round == 0, self.unbounded {
                    // What the engine alone would spend without a budget, for the record.
                    let start = ProcessCPUTime.milliseconds()
                    hits = searcher.search(query, limit: 20).totalHits
                    unbounded = ProcessCPUTime.milliseconds() - start
                }
            }
            worst = max(worst, served)
            print(
                String(
                    format: "  %-40@ %8.2f %@   %9.2f   %7d  (%d bytes)", name as NSString, served,
                    (partial ? "partial" : "       ") as NSString, unbounded, hits, text.utf8.count))
        }
        print(
            String(format: "worst: %.2f ms CPU (budget %.0f ms, ratio ×%.2f)", worst, self.budget, worst / self.budget))

        let refused: [(String, String)] = [
            ("NOT ×3,000 then a word", String(repeating: "NOT ", count: 3_000) + "a"),
            (
                "2,000 two-letter prefixes",
                (0..<2_000).map { "a\(Character(UnicodeScalar(97 + $0 % 26)!))*" }.joined(separator: " ")
            ),
            ("300 words", Array(repeating: words, count: 2).joined().prefix(300).joined(separator: " ")),
        ]
        for (name, text) in refused {
            let start = ProcessCPUTime.milliseconds()
            do {
                _ = try parser.parse(text)
                print("  \(name): NOT refused")
                throw ExitCode(1)
            } catch let error as SearchError {
                print(
                    String(
                        format: "  %-40@ refused in %.3f ms: %@", name as NSString,
                        ProcessCPUTime.milliseconds() - start,
                        error.message))
            }
        }
        if worst > self.budget { throw ExitCode(1) }
    }

    /// Every other word excluded.
    static func alternate(_ words: [String]) -> String {
        words.enumerated().map { $0.offset % 2 == 0 ? $0.element : "-" + $0.element }.joined(separator: " ")
    }

    /// The most frequent words of titles and abstracts (letters only, at least 3, no stop words).
    static func frequentWords(_ documents: [Document], count: Int) -> [String] {
        var frequencies: [Substring: Int] = [:]
        for document in documents.prefix(30_000) {
            for field in document.fields.prefix(2) {
                for word in field.lowercased().split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
                    frequencies[word, default: 0] += 1
                }
            }
        }
        let stop: Set<Substring> = ["the", "and", "for", "with", "that", "this", "are", "from", "which", "its", "our"]
        return frequencies.filter { !stop.contains($0.key) }.sorted { $0.value > $1.value }.prefix(count).map {
            String($0.key)
        }
    }

    /// The two-letter prefixes with the most distinct words behind them.
    static func widestPrefixes(_ documents: [Document], count: Int) -> [String] {
        var words: [String: Set<Substring>] = [:]
        for document in documents.prefix(30_000) {
            for word in document.fields[1].lowercased().split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
                words[String(word.prefix(2)), default: []].insert(word)
            }
        }
        return words.sorted { $0.value.count > $1.value.count }.prefix(count).map(\.key)
    }

    /// The process's CPU time, in milliseconds (nothing else runs while a query is timed).
}
