import ArgumentParser
import Foundation
import PaperboyModel
import PaperboyParsers

#if canImport(Glibc)
import Glibc
#endif

/// `paperboy bench ingest`: how fast the Kaggle arXiv snapshot parses and lands in SQLite, on a
/// file in that format generated from the shared papers (ids perturbed so every line is a new
/// paper), beside Python's `json.loads` reading the same lines.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Parse and ingest a generated Kaggle-format arXiv snapshot; print records/s and peak memory.",
        discussion: """
            The file is generated into a temporary folder from --data (2.7 million lines by default, \
            like the real snapshot: each paper of the data file repeated with new ids, versions and \
            dates) and removed afterwards unless --keep is given. Parsing is timed in process on one \
            thread; the end-to-end ingest runs as a child `paperboy ingest` process into a new \
            SQLite file, so that its peak resident memory is its own.
            """
    )

    @Option(help: "A paper JSON-lines file (plain or gzip) to generate the snapshot from.")
    var data = "../shared/data/arxiv/papers-156k.jsonl.gz"

    @Option(help: "Lines of the generated snapshot.")
    var lines = 2_700_000

    @Option(help: "Where to put the generated file and database (default: a new temporary folder).")
    var work: String?

    @Flag(help: "Keep the generated file and database.")
    var keep = false

    @Flag(inversion: .prefixedNo, help: "Time Python's json.loads over the same lines as the anchor.")
    var anchor = true

    @Option(help: "Use this snapshot file (the real one, say) instead of generating one.")
    var file: String?

    @Flag(help: "Only time the parsing.")
    var parseOnly = false

    func validate() throws {
        if let file, !FileManager.default.fileExists(atPath: file) { throw ValidationError("no file at \(file)") }
        guard self.file != nil || FileManager.default.fileExists(atPath: self.data) else {
            throw ValidationError("no data file at \(self.data) (the shared data folder is needed; see README)")
        }
        if self.lines < 1 { throw ValidationError("--lines must be at least 1") }
    }

    func run() async throws {
        let work =
            self.work
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "paperboy-ingest-bench-\(UUID().uuidString)"
            )
            .path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !self.keep { try? FileManager.default.removeItem(atPath: work) } }
        let snapshot = self.file ?? work + "/arxiv-metadata-oai-snapshot.json"
        let database = work + "/bench.sqlite"
        let clock = ContinuousClock()

        print("Paperboy ingest benchmark: the Kaggle arXiv snapshot format")
        var start = clock.now
        if self.file == nil {
            let bytes = try KaggleSnapshotGenerator(source: self.data).write(lines: self.lines, to: snapshot)
            print(
                "generated: \(self.lines) lines, \(bytes >> 20) MiB in \(String(format: "%.1f", (clock.now - start).seconds)) s from \(self.data) (ids perturbed)"
            )
        } else {
            print("file:      \(snapshot)")
        }

        // Parse only, one thread.
        start = clock.now
        let reader = try PaperFileReader(path: snapshot, listingYear: 2025)
        guard reader.format == .kaggleSnapshot else {
            throw ValidationError("generated file not detected as a snapshot")
        }
        var parsed = 0
        var bad = 0
        while let batch = try reader.nextBatch(size: 4_096) {
            parsed += batch.papers.count
            bad += batch.errors.count
        }
        let parseSeconds = (clock.now - start).seconds
        print(
            "parsed:    \(parsed) papers, \(bad) bad, in \(String(format: "%.1f", parseSeconds)) s (\(Int(Double(parsed + bad) / parseSeconds))/s)"
        )
        if self.parseOnly { return }
        let lines = parsed + bad

        // End to end, in a child process.
        start = clock.now
        let child = try Self.runSelf(["ingest", "file", "--database", database, snapshot])
        let ingestSeconds = (clock.now - start).seconds
        guard child.status == 0 else {
            throw ValidationError("the ingest exited with \(child.status):\n\(child.output)")
        }
        print("ingested:  " + child.output.split(separator: "\n").filter { $0.hasPrefix("added") }.joined())

        var anchorSeconds: Double?
        if self.anchor {
            start = clock.now
            let python = try Self.run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    "import json,sys\nn=0\nfor line in open(sys.argv[1],'rb'):\n    json.loads(line); n+=1\nprint(n)",
                    snapshot,
                ])
            if python.status == 0 { anchorSeconds = (clock.now - start).seconds }
        }

        let parseRate = Double(parsed + bad) / parseSeconds
        let ingestRate = Double(lines) / ingestSeconds
        print("")
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let anchorRate = anchorSeconds.map { Double(lines) / $0 }
        print(cell("", 27) + cell("Paperboy", 12) + cell("target", 11) + cell("Python json.loads", 19) + "ratio")
        print(
            cell("parse records/s (1 core)", 27) + cell(String(Int(parseRate)), 12) + cell("≥ 100000", 11)
                + cell(anchorRate.map { String(Int($0)) } ?? "–", 19)
                + (anchorRate.map { String(format: "×%.2f", parseRate / $0) } ?? "–"))
        print(cell("ingest records/s (SQLite)", 27) + cell(String(Int(ingestRate)), 12) + "≥ 30000")
        print(cell("ingest peak memory MiB", 27) + cell(String(child.peakKiB / 1024), 12) + "< 500")
        print("ratio is Paperboy ÷ anchor: above 1 is faster (the anchor only decodes JSON; Paperboy builds papers)")
    }

    /// Runs this executable with `arguments`; returns its status, output and peak memory.
    static func runSelf(_ arguments: [String]) throws -> (status: Int32, output: String, peakKiB: Int) {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return try self.run(executable, arguments)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, peakKiB: Int)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), Int(usage.ru_maxrss))
    }
}
