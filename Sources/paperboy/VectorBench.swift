import ArgumentParser
import Foundation
import PaperboyEmbed

/// `paperboy bench vectors`: exact top-k latency of the flat vector index over as many vectors
/// as the full arXiv set has papers, beside NumPy's brute force on the same vectors.
struct VectorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Time exact vector top-k (int8 scan, float re-score) beside NumPy brute force.",
        discussion: """
            The vectors are random unit vectors (seeded), as many as the 156k papers of the arXiv \
            set: embedding those takes hours here, and the scan's cost does not depend on what the \
            vectors hold. Half the queries are vectors of the index, half random. The anchor runs \
            with python3 and NumPy (its BLAS may use every core; ours uses two threads).
            """
    )

    @Option(help: "How many vectors.")
    var vectors = 156_000

    @Option(help: "How many queries.")
    var queries = 200

    @Option(help: "Results per query.")
    var limit = 10

    @Flag(help: "Skip the NumPy anchor.")
    var noAnchors = false

    func run() async throws {
        let dimension = 384
        var state: UInt64 = 42
        func unit() -> [Float] {
            let raw = (0..<dimension).map { _ -> Float in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
            }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return raw.map { $0 / norm }
        }
        var index = FlatVectorIndex(dimension: dimension)
        var all: [[Float]] = []
        all.reserveCapacity(self.vectors)
        for slot in 0..<self.vectors {
            let vector = unit()
            all.append(vector)
            index.set(String(slot), vector)
        }
        let queries = (0..<self.queries).map { $0 % 2 == 0 ? all[($0 * 7_919) % all.count] : unit() }
        for query in queries.prefix(5) { _ = index.search(query, limit: self.limit) }
        var times: [Double] = []
        var tops: [[Int]] = []
        for query in queries {
            let start = ContinuousClock.now
            let found = index.search(query, limit: self.limit)
            times.append((ContinuousClock.now - start).seconds * 1_000)
            tops.append(found.map { Int($0.key)! })
        }
        times.sort()
        let p50 = times[times.count / 2]
        let p99 = times[min(times.count - 1, times.count * 99 / 100)]
        print("\(self.vectors) vectors of \(dimension), \(self.queries) queries, top \(self.limit)")
        guard !self.noAnchors else {
            print(String(format: "Paperboy  p50 %.2f ms   p99 %.2f ms", p50, p99))
            return
        }
        let anchor = try self.runAnchor(all, queries)
        let agree = zip(tops, anchor.tops).filter { $0 == $1 }.count
        print("".padding(toLength: 12, withPad: " ", startingAt: 0) + "Paperboy    NumPy       ratio")
        for (name, ours, theirs) in [("p50 ms", p50, anchor.p50), ("p99 ms", p99, anchor.p99)] {
            print(
                name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%.2f", ours).padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%.2f", theirs).padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "×%.2f", ours / theirs))
        }
        print("top \(self.limit) identical to NumPy's exact ranking for \(agree) of \(queries.count) queries")
        if agree != queries.count {
            print("FAIL: the int8 scan with re-scoring missed the exact top \(self.limit)")
            throw ExitCode(1)
        }
    }

    private func runAnchor(
        _ vectors: [[Float]], _ queries: [[Float]]
    ) throws -> (p50: Double, p99: Double, tops: [[Int]]) {
        let base = NSTemporaryDirectory() + "paperboy-vectors-\(getpid())"
        func write(_ rows: [[Float]], _ path: String) throws {
            var data = Data(capacity: rows.count * 384 * 4)
            for row in rows { row.withUnsafeBytes { data.append(contentsOf: $0) } }
            try data.write(to: URL(fileURLWithPath: path))
        }
        try write(vectors, base + ".vectors")
        try write(queries, base + ".queries")
        defer {
            try? FileManager.default.removeItem(atPath: base + ".vectors")
            try? FileManager.default.removeItem(atPath: base + ".queries")
        }
        let data = try AnchorScript.run(
            "scripts/bench/vector_anchor.py", interpreter: ["python3"],
            arguments: [base + ".vectors", base + ".queries", "384", String(self.limit)])
        guard let report = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let p50 = report["p50_ms"] as? Double, let p99 = report["p99_ms"] as? Double,
            let tops = report["tops"] as? [[Int]]
        else { throw ValidationError("the NumPy anchor printed no report (is python3-numpy installed?)") }
        return (p50, p99, tops)
    }
}
