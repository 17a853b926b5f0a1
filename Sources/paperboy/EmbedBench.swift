import ArgumentParser
import Foundation
import Glibc
import PaperboyEmbed
import PaperboyModel
import PaperboyParsers
import PaperboyServices

/// `paperboy bench embed`: the encoder's CPU time per document on one thread, documents a second
/// on every core, and query-embedding latency, beside sentence-transformers (torch on CPU) on the
/// same texts and model in the same run.
struct EmbedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Time the embedding model (ms CPU per document, documents/s, query latency) beside torch.",
        discussion: """
            Documents are the title and abstract of real papers long enough to fill the model's \
            256 tokens; queries are titles of other papers. The anchor runs from a virtualenv that \
            scripts/bench/run-embed-anchor.sh makes with sentence-transformers from PyPI.
            """
    )

    @Option(help: "A paper JSON-lines file (plain or gzip).")
    var data = "../shared/data/arxiv/papers-156k.jsonl.gz"

    @Option(help: "How many documents to embed.")
    var documents = 256

    @Option(help: "How many queries to embed one at a time.")
    var queries = 200

    @Option(
        help: ArgumentHelp(
            "The models folder (default: $PAPERBOY_MODELS, else ~/.cache/paperboy/models).", valueName: "dir"))
    var models: String?

    @Flag(inversion: .prefixedNo, help: "Run sentence-transformers beside Paperboy.")
    var anchors = true

    func validate() throws {
        guard FileManager.default.fileExists(atPath: self.data) else {
            throw ValidationError("no data file at \(self.data) (the shared data folder is needed; see README)")
        }
        guard self.documents > 0, self.queries > 0 else {
            throw ValidationError("--documents and --queries must be positive")
        }
    }

    func run() async throws {
        let installer = ModelInstaller(root: self.models ?? ModelInstaller.defaultRoot())
        guard installer.isInstalled(.miniLM) else {
            throw ValidationError("the model is not installed in \(installer.root) (paperboy model fetch)")
        }
        let folder = installer.folder(for: .miniLM)
        let single = try SentenceEncoder(folder: folder, threads: 1)
        let parallel = try SentenceEncoder(folder: folder)
        let reader = try PaperFileReader(path: self.data, listingYear: CalendarDay.today().year)
        var documents: [String] = []
        var queries: [String] = []
        while documents.count < self.documents || queries.count < self.queries,
            let batch = try reader.nextBatch(size: 2_000)
        {
            for paper in batch.papers {
                let text = paper.title + ". " + paper.abstract
                if documents.count < self.documents, single.tokenizer.ids(text).count == single.tokenizer.maxLength {
                    documents.append(text)
                } else if queries.count < self.queries {
                    queries.append(paper.title)
                }
            }
        }
        let tokens = documents.reduce(0) { $0 + single.tokenizer.ids($1).count }
        print(
            "embed: \(documents.count) documents of \(tokens / documents.count) tokens, \(queries.count) queries, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS kernels \(single.kernels)")
        _ = single.embedHere(Array(documents.prefix(8)))

        let cpuStart = ProcessCPUTime.milliseconds()
        _ = single.embedHere(documents)
        let cpuPerDocument = (ProcessCPUTime.milliseconds() - cpuStart) / Double(documents.count)

        let clock = ContinuousClock()
        let wallStart = clock.now
        _ = await parallel.embed(documents)
        let perSecond = Double(documents.count) / (clock.now - wallStart).seconds

        var latencies: [Double] = []
        for query in queries {
            let start = clock.now
            _ = single.embedHere([query])
            latencies.append((clock.now - start).seconds * 1_000)
        }
        latencies.sort()
        let ours = Figures(
            cpuPerDocument: cpuPerDocument, perSecond: perSecond, queryP50: latencies[latencies.count / 2],
            queryP99: latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
        var anchor: Figures?
        if self.anchors {
            anchor = try Self.runAnchor(folder: folder, documents: documents, queries: queries)
        }
        Self.report(ours, anchor)
    }

    struct Figures {
        var cpuPerDocument: Double
        var perSecond: Double
        var queryP50: Double
        var queryP99: Double
    }

    static func report(_ ours: Figures, _ anchor: Figures?) {
        func row(_ name: String, _ value: Double, _ other: Double?, _ format: String) {
            let mine = String(format: format, value)
            guard let other else {
                Swift.print(name.padding(toLength: 30, withPad: " ", startingAt: 0) + mine)
                return
            }
            Swift.print(
                name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + mine.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: format, other).padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "×%.2f", value / other))
        }
        Swift.print("")
        Swift.print("".padding(toLength: 30, withPad: " ", startingAt: 0) + "Paperboy    torch       ratio")
        row("CPU ms per document, 1 thread", ours.cpuPerDocument, anchor?.cpuPerDocument, "%.1f")
        row("documents/s, all cores", ours.perSecond, anchor?.perSecond, "%.1f")
        row("query p50 ms", ours.queryP50, anchor?.queryP50, "%.2f")
        row("query p99 ms", ours.queryP99, anchor?.queryP99, "%.2f")
        Swift.print("ratios are Paperboy ÷ torch: below 1 is better for times, above 1 for documents/s")
    }

    static func runAnchor(folder: String, documents: [String], queries: [String]) throws -> Figures {
        let texts = NSTemporaryDirectory() + "paperboy-embed-texts-\(getpid()).json"
        try JSONSerialization.data(withJSONObject: ["documents": documents, "queries": queries]).write(
            to: URL(fileURLWithPath: texts))
        defer { try? FileManager.default.removeItem(atPath: texts) }
        Swift.print("anchor: sentence-transformers on the same texts…")
        let data = try AnchorScript.run(
            "scripts/bench/run-embed-anchor.sh", interpreter: ["bash"], arguments: [folder, texts])
        guard let report = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let cpu = report["cpu_ms_per_document"] as? Double, let rate = report["documents_per_second"] as? Double,
            let p50 = report["query_p50_ms"] as? Double, let p99 = report["query_p99_ms"] as? Double
        else { throw ValidationError("the anchor printed no report") }
        return Figures(cpuPerDocument: cpu, perSecond: rate, queryP50: p50, queryP99: p99)
    }
}
