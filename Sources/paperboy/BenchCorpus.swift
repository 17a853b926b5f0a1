import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySearch
import PaperboyServices

/// The papers and queries of a search benchmark: real papers from a file, perturbed copies when
/// more are wanted, and held-out papers whose titles make the queries.
struct BenchCorpus {
    var documents: [Document] = []
    var longQueries: [String] = []
    var shortQueries: [String] = []
    var realCount = 0
    var copyCount = 0

    init(path: String, documents wanted: Int?, heldOut: Int) throws {
        let reader = try PaperFileReader(path: path, listingYear: CalendarDay.today().year)
        var papers: [Paper] = []
        while let batch = try reader.nextBatch(size: 10_000) { papers += batch.papers }
        guard papers.count > heldOut else { throw ValidationErrorText("\(path) has too few papers") }
        let held = Array(papers.suffix(heldOut))
        let pool = Array(papers.dropLast(heldOut))
        let target = wanted ?? pool.count
        self.realCount = min(target, pool.count)
        self.documents = pool.prefix(self.realCount).map(PaperIndex.document(for:))
        var generator = SeededGenerator(seed: 2_026)
        var copy = 1
        while self.documents.count < target {
            for paper in pool where self.documents.count < target {
                self.documents.append(Self.perturbed(PaperIndex.document(for: paper), copy: copy, using: &generator))
            }
            copy += 1
        }
        self.copyCount = self.documents.count - self.realCount
        self.longQueries = held.map { Self.plain($0.title) }
        self.shortQueries = held.map { Self.shortQuery(from: $0.title, using: &generator) }
    }

    var description: String {
        self.copyCount == 0
            ? "\(self.documents.count) papers"
            : "\(self.documents.count) papers: \(self.realCount) real + \(self.copyCount) perturbed copies of them"
    }

    /// Query text as plain words: anything but letters, digits and spaces becomes a space, so that
    /// neither engine's query syntax reads it.
    static func plain(_ text: String) -> String {
        let spaced = String(
            text.map { (character: Character) -> Character in character.isLetter || character.isNumber ? character : " "
            })
        // Upper-case AND, OR and NOT are operators to both parsers; as words they are stop words.
        return spaced.split(separator: " ").map { ["AND", "OR", "NOT"].contains($0) ? $0.lowercased() : String($0) }
            .joined(separator: " ")
    }

    /// Two or three consecutive words of a title (long enough to mean something).
    static func shortQuery(from title: String, using generator: inout SeededGenerator) -> String {
        let plain: String = Self.plain(title)
        let words: [Substring] = plain.split(separator: " ").filter { $0.count >= 3 && $0.allSatisfy(\.isLetter) }
        guard words.count >= 2 else { return words.joined(separator: " ") }
        let length = min(words.count, Int.random(in: 2...3, using: &generator))
        let start = Int.random(in: 0...(words.count - length), using: &generator)
        return words[start..<(start + length)].joined(separator: " ")
    }

    /// A copy with a new key, its title's words shuffled a little and one in ten abstract words
    /// swapped with a neighbour.
    static func perturbed(_ document: Document, copy: Int, using generator: inout SeededGenerator) -> Document {
        var result = document
        result.key = "\(document.key)#\(copy)"
        var title = document.fields[0].split(separator: " ")
        if title.count > 2 {
            title.swapAt(
                Int.random(in: 0..<title.count, using: &generator), Int.random(in: 0..<title.count, using: &generator))
        }
        var abstract = document.fields[1].split(separator: " ")
        if abstract.count > 2 {
            for _ in 0..<(abstract.count / 10) {
                let index = Int.random(in: 0..<(abstract.count - 1), using: &generator)
                abstract.swapAt(index, index + 1)
            }
        }
        result.fields[0] = title.joined(separator: " ")
        result.fields[1] = abstract.joined(separator: " ")
        return result
    }

    /// Writes the papers and queries for the anchors and runs them.
    func runAnchors(
        in work: String, fts5Sample: Int, buildRounds: Int
    ) throws -> (tantivy: BenchFigures, fts5: BenchFigures) {
        let docsPath = work + "/docs.jsonl"
        FileManager.default.createFile(atPath: docsPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: docsPath))
        let encoder = JSONEncoder()
        var chunk = Data()
        for document in self.documents {
            let day = document.numbers.first.flatMap { $0 } ?? 0
            chunk.append(
                try encoder.encode(
                    AnchorDocument(
                        id: document.key, title: document.fields[0], abstract: document.fields[1],
                        authors: document.fields[2],
                        categories: document.keywords.first ?? [], day: day
                    )
                )
            )
            chunk.append(0x0A)
            if chunk.count > 1 << 22 {
                handle.write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        handle.write(chunk)
        try handle.close()
        try (self.longQueries.joined(separator: "\n") + "\n").write(
            toFile: work + "/long.txt", atomically: true, encoding: .utf8)
        try (self.shortQueries.joined(separator: "\n") + "\n").write(
            toFile: work + "/short.txt", atomically: true, encoding: .utf8)

        let data = try AnchorScript.run(
            "scripts/bench/run-anchors.sh", interpreter: ["bash"],
            arguments: [
                docsPath, work + "/long.txt", work + "/short.txt", work, String(fts5Sample), String(buildRounds),
            ])
        let report = try JSONDecoder().decode(AnchorReport.self, from: data)
        return (
            report.tantivy.figures(documents: self.documents.count),
            report.fts5.figures(documents: self.documents.count)
        )
    }
}

private struct AnchorDocument: Encodable {
    var id: String
    var title: String
    var abstract: String
    var authors: String
    var categories: [String]
    var day: Int64
}

private struct AnchorReport: Decodable {
    struct Engine: Decodable {
        struct Percentiles: Decodable {
            var p50: Double
            var p90: Double
            var p99: Double
            var mean: Double
            var count: Int
        }

        var build_seconds: Double
        var index_bytes: Int
        var long: Percentiles
        var short: Percentiles

        func figures(documents: Int) -> BenchFigures {
            BenchFigures(
                buildSeconds: self.build_seconds, documents: documents, indexBytes: self.index_bytes,
                long: Latencies(
                    p50: self.long.p50, p90: self.long.p90, p99: self.long.p99, mean: self.long.mean,
                    count: self.long.count),
                short: Latencies(
                    p50: self.short.p50, p90: self.short.p90, p99: self.short.p99, mean: self.short.mean,
                    count: self.short.count
                )
            )
        }
    }

    var tantivy: Engine
    var fts5: Engine
}

/// Query latencies in milliseconds.
struct Latencies {
    var p50: Double
    var p90: Double
    var p99: Double
    var mean: Double
    var count: Int

    init(p50: Double, p90: Double, p99: Double, mean: Double, count: Int) {
        (self.p50, self.p90, self.p99, self.mean, self.count) = (p50, p90, p99, mean, count)
    }

    init(_ values: [Double]) {
        let sorted = values.sorted()
        func pick(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        self.init(
            p50: pick(0.5), p90: pick(0.9), p99: pick(0.99), mean: sorted.reduce(0, +) / Double(max(1, sorted.count)),
            count: sorted.count)
    }
}

/// One engine's figures.
struct BenchFigures {
    var buildSeconds: Double
    var documents: Int
    var indexBytes: Int
    var long: Latencies
    var short: Latencies

    var documentsPerSecond: Double { Double(self.documents) / self.buildSeconds }

    static func printTable(
        ours: BenchFigures, tantivy: BenchFigures?, fts5: BenchFigures?, fts5Sample: Int, anchorsFollow: Bool = false
    ) {
        func number(_ value: Double, _ decimals: Int = 2) -> String { String(format: "%.\(decimals)f", value) }
        func ratio(_ mine: Double, _ theirs: Double?) -> String {
            guard let theirs, theirs > 0 else { return "" }
            return "×" + number(mine / theirs)
        }
        var rows: [[String]] = [["", "Paperboy", "tantivy", "ratio", "SQLite FTS5", "ratio"]]
        func row(_ name: String, _ pick: (BenchFigures) -> Double, decimals: Int = 2) {
            let mine = pick(ours)
            rows.append([
                name, number(mine, decimals), tantivy.map { number(pick($0), decimals) } ?? "–",
                ratio(mine, tantivy.map(pick)),
                fts5.map { number(pick($0), decimals) } ?? "–", ratio(mine, fts5.map(pick)),
            ])
        }
        row("build papers/s", \.documentsPerSecond, decimals: 0)
        row("index MiB", { Double($0.indexBytes) / 1_048_576 }, decimals: 1)
        row("long p50 ms", \.long.p50, decimals: 3)
        row("long p99 ms", \.long.p99, decimals: 3)
        row("short p50 ms", \.short.p50, decimals: 3)
        row("short p99 ms", \.short.p99, decimals: 3)
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        print("")
        for row in rows {
            print(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "))
        }
        print("")
        print("ratios are Paperboy ÷ anchor: below 1 is better for latency and size, above 1 for build rate")
        if fts5 != nil { print("FTS5 latencies are over the first \(fts5Sample) queries of each set") }
        if anchorsFollow {
            print("anchors: running tantivy and SQLite FTS5 on the same papers…")
        } else if tantivy == nil {
            print("anchors: not run (--no-anchors)")
        }
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
