import Dispatch
import Foundation

/// A sentence-transformers model folder made ready to embed text: any BERT-family model with
/// `config.json`, `model.safetensors` and `vocab.txt` (all-MiniLM-L6-v2, or a larger BERT of the
/// same kind), its `sentence_bert_config.json` (`max_seq_length`), `tokenizer_config.json`
/// (`do_lower_case`) and `1_Pooling/config.json` (mean or CLS pooling). Vectors come out L2
/// normalised, so a dot product is their cosine.
///
/// Embedding runs on threads of its own (one sequence batch per core, OpenBLAS single-threaded in
/// each), never on the caller's: an event loop or a Swift concurrency thread only awaits it.
public final class SentenceEncoder: Sendable {
    /// How a sequence's token vectors become one vector.
    public enum Pooling: String, Sendable, Hashable {
        /// The mean of every token's vector (`[CLS]` and `[SEP]` included).
        case mean
        /// The `[CLS]` token's vector.
        case cls
    }

    /// The tokenizer, with the model's vocabulary and sequence length.
    public let tokenizer: WordPieceTokenizer
    /// How token vectors are pooled.
    public let pooling: Pooling
    /// The length of every vector.
    public var dimension: Int { self.encoder.configuration.hiddenSize }
    /// The encoder's shape.
    public var configuration: BertConfiguration { self.encoder.configuration }
    /// Threads a call to ``embed(_:)`` uses at most.
    public let threads: Int
    /// OpenBLAS's kernel family in use (`SkylakeX`, `Haswell`, …).
    public let kernels: String
    /// Tokens in one batch at most (the linear layers run over a batch's tokens at once).
    public static let tokensPerBatch = 2_048
    private let encoder: BertEncoder
    private let queue = DispatchQueue(label: "paperboy.embed", attributes: .concurrent)

    /// Loads the model in `folder`.
    ///
    /// - Parameter threads: how many cores one call may use (default: all).
    public init(folder: String, threads: Int? = nil) throws(EmbedError) {
        let directory = URL(fileURLWithPath: folder)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let configuration = try BertConfiguration(file: path("config.json"))
        let settings = try Self.json(path("sentence_bert_config.json"), required: false)
        let tokenizerSettings = try Self.json(path("tokenizer_config.json"), required: false)
        let poolingSettings = try Self.json(path("1_Pooling/config.json"), required: false)
        var maxLength = configuration.maxPositions
        if let length = settings["max_seq_length"] {
            guard let length = length as? Int, length >= 2 else {
                throw EmbedError(.fileMalformed, "\(path("sentence_bert_config.json")): max_seq_length is not a count")
            }
            maxLength = min(length, configuration.maxPositions)
        }
        let lowercases = tokenizerSettings["do_lower_case"] as? Bool ?? true
        self.tokenizer = try WordPieceTokenizer(
            vocabularyFile: path("vocab.txt"), maxLength: maxLength, lowercases: lowercases)
        if poolingSettings["pooling_mode_cls_token"] as? Bool == true {
            self.pooling = .cls
        } else if poolingSettings.isEmpty || poolingSettings["pooling_mode_mean_tokens"] as? Bool == true {
            self.pooling = .mean
        } else {
            throw EmbedError(
                .unsupportedModel, "\(path("1_Pooling/config.json")): only mean and CLS pooling are run")
        }
        guard self.tokenizer.vocabulary.values.allSatisfy({ Int($0) < configuration.vocabularySize }) else {
            throw EmbedError(
                .unsupportedModel, "\(path("vocab.txt")): more pieces than the model's \(configuration.vocabularySize)")
        }
        let weights = try SafeTensorsFile(path: path("model.safetensors"))
        self.encoder = try BertEncoder(configuration: configuration, file: weights)
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.kernels = OpenBLASKernels.coreName
    }

    private static func json(_ path: String, required: Bool) throws(EmbedError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw EmbedError(.fileUnreadable, "\(path): cannot read") }
            return [:]
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EmbedError(.fileMalformed, "\(path): not a JSON object")
        }
        return object
    }

    /// The vector of each text, in order, computed on the encoder's own threads.
    public func embed(_ texts: [String]) async -> [[Float]] {
        await withCheckedContinuation { continuation in
            self.queue.async { continuation.resume(returning: self.embedHere(texts)) }
        }
    }

    /// The vector of each tokenised text (ids as ``WordPieceTokenizer/ids(_:)`` makes them),
    /// computed on the encoder's own threads.
    public func embed(ids: [[Int32]]) async -> [[Float]] {
        await withCheckedContinuation { continuation in
            self.queue.async { continuation.resume(returning: self.embedHere(ids: ids)) }
        }
    }

    /// The vector of each text, computed on the calling thread and as many more as ``threads``
    /// allows; blocks until done (for command-line tools and benchmarks, never an event loop).
    public func embedHere(_ texts: [String]) -> [[Float]] {
        self.embedHere(ids: texts.map { self.tokenizer.ids($0) })
    }

    /// The vector of each tokenised text (ids as ``WordPieceTokenizer/ids(_:)`` makes them).
    public func embedHere(ids: [[Int32]]) -> [[Float]] {
        let batches = self.batches(ids)
        let work = BatchWork(batches: batches, count: ids.count)
        let run: @Sendable ([Int]) -> Void = { batch in
            work.store(self.encoder.encode(batch.map { ids[$0] }, pool: self.pool), for: batch)
        }
        if self.threads == 1 || batches.count == 1 {
            for batch in batches { run(batch) }
        } else {
            DispatchQueue.concurrentPerform(iterations: min(self.threads, batches.count)) { _ in
                while let batch = work.next() { run(batch) }
            }
        }
        return work.results
    }

    /// Texts grouped by similar length (longest first), each group at most ``tokensPerBatch``
    /// tokens, and split finer when there would be fewer groups than threads.
    func batches(_ ids: [[Int32]]) -> [[Int]] {
        let order = ids.indices.sorted { ids[$0].count > ids[$1].count }
        let total = ids.reduce(0) { $0 + $1.count }
        let budget = max(1, min(Self.tokensPerBatch, (total + self.threads - 1) / self.threads))
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            if !current.isEmpty, tokens + ids[index].count > budget {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += ids[index].count
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    private func pool(_ rows: UnsafePointer<Float>, _ count: Int, _ vector: UnsafeMutablePointer<Float>) {
        let width = self.dimension
        switch self.pooling {
        case .cls:
            vector.update(from: rows, count: width)
        case .mean:
            vector.initialize(repeating: 0, count: width)
            for row in 0..<count {
                for column in 0..<width { vector[column] += rows[row * width + column] }
            }
            let inverse = 1 / Float(max(1, count))
            for column in 0..<width { vector[column] *= inverse }
        }
        var norm: Float = 0
        for column in 0..<width { norm += vector[column] * vector[column] }
        let inverse = norm > 0 ? 1 / norm.squareRoot() : 0
        for column in 0..<width { vector[column] *= inverse }
    }
}

/// The batches of one call, handed to whichever thread is free, and their vectors.
private final class BatchWork: @unchecked Sendable {
    // Unchecked: both fields are only touched under the lock.
    private let lock = NSLock()
    private let batches: [[Int]]
    private var taken = 0
    private var vectors: [[Float]]

    init(batches: [[Int]], count: Int) {
        self.batches = batches
        self.vectors = Array(repeating: [], count: count)
    }

    func next() -> [Int]? {
        self.lock.withLock {
            guard self.taken < self.batches.count else { return nil }
            self.taken += 1
            return self.batches[self.taken - 1]
        }
    }

    func store(_ vectors: [[Float]], for batch: [Int]) {
        self.lock.withLock {
            for (member, vector) in zip(batch, vectors) { self.vectors[member] = vector }
        }
    }

    var results: [[Float]] { self.lock.withLock { self.vectors } }
}
