public import Foundation
public import PaperboyEmbed
public import PaperboyModel
public import PaperboyStore
import Synchronization

/// The papers' vectors for one model: a ``FlatVectorIndex`` that follows the store's change feed
/// like the search index does, kept in a vector file beside the index (with the sequence it has
/// reached, so that a restart goes on from there) and in the store (so that a rebuild or another
/// node reuses what was computed). A paper is embedded when it is new or its title or abstract
/// changed; a removed paper's vector goes.
///
/// One process writes the file; another that opens the same folder reads its commits. Readers
/// take the current snapshot without waiting.
public actor PaperVectors {
    /// How far the vectors are.
    public struct Progress: Sendable, Hashable {
        /// Vectors in the index.
        public var vectors: Int
        /// Changes applied in this catch-up so far.
        public var applied: Int
        /// Changes this catch-up had to apply when it started.
        public var total: Int
        /// Papers embedded by this process (not found in the store).
        public var embedded: Int
    }

    /// The model.
    public nonisolated let model: EmbeddingModel
    /// The vector file.
    public nonisolated let path: String
    /// Whether this process writes the file (else it follows another's).
    public nonisolated let isWriter: Bool
    private var working: FlatVectorIndex
    private var sequence: Int64
    private nonisolated let current: Mutex<FlatVectorIndex>
    private nonisolated let caughtUp = Mutex(false)
    private var fileDate: Date?
    private var isCatchingUp = false
    /// Papers embedded per call of the encoder (and stored per transaction).
    public var batchSize = 128
    /// How often a long catch-up publishes what it has (to searches) and writes the file.
    public var publishEvery: Duration = .seconds(20)

    /// Opens the vectors of `model` in the index folder `folder` (the file
    /// `vectors/<model>.bin`), empty when there is none yet.
    ///
    /// - Throws: ``ServiceError`` (`unavailable`) for a vector file that cannot be read; the file
    ///   is never overwritten by a broken read.
    public init(folder: String, model: EmbeddingModel, isWriter: Bool = true) throws(ServiceError) {
        self.model = model
        self.isWriter = isWriter
        let safe = model.identity.map { $0.isLetter || $0.isNumber || "-_.@".contains($0) ? $0 : "_" }
        // In a folder of its own: the index writer removes files of the index folder it does not know.
        let vectorFolder = folder + "/vectors"
        do {
            try FileManager.default.createDirectory(atPath: vectorFolder, withIntermediateDirectories: true)
        } catch {
            throw ServiceError(.unavailable, "cannot make the vector folder \(vectorFolder): \(error)")
        }
        self.path = vectorFolder + "/" + String(safe) + ".bin"
        let loaded = try Self.load(self.path, dimension: model.encoder.dimension)
        self.working = loaded?.index ?? FlatVectorIndex(dimension: model.encoder.dimension)
        self.sequence = loaded?.sequence ?? 0
        self.current = Mutex(self.working)
        self.fileDate = Self.modified(self.path)
    }

    private static func load(
        _ path: String, dimension: Int
    ) throws(ServiceError) -> (
        index: FlatVectorIndex, sequence: Int64
    )? {
        let read: (index: FlatVectorIndex, userData: [String: String])?
        do {
            read = try FlatVectorIndex.read(path: path)
        } catch {
            throw ServiceError(
                .unavailable,
                "the vector file cannot be read: \(error.message); remove it (paperboy embed rebuild) to start over")
        }
        guard let read else { return nil }
        guard read.index.dimension == dimension else {
            throw ServiceError(
                .unavailable, "\(path) holds \(read.index.dimension)-value vectors, the model makes \(dimension)")
        }
        return (read.index, Int64(read.userData["sequence"] ?? "") ?? 0)
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The latest published snapshot.
    public nonisolated var snapshot: FlatVectorIndex { self.current.withLock { $0 } }

    /// Whether the vectors have caught up with the store at least once.
    public nonisolated var isReady: Bool { self.caughtUp.withLock { $0 } }

    /// The store sequence number reached.
    public var appliedSequence: Int64 { self.sequence }

    /// Applies the store's changes since the last catch-up, embedding what is new or changed and
    /// reusing vectors the store has; returns how many changes were applied. A reader reloads
    /// the writer's file instead.
    ///
    /// When the store is behind the vectors (a new database under an old folder), they start
    /// over from the store. Cancelling stops between batches with what was done kept.
    @discardableResult
    public func catchUp(
        with store: any PaperStore, embeddings: any EmbeddingStore,
        progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Int {
        guard self.isWriter else { return try self.reload() }
        // One catch-up at a time: the actor is re-entered while a batch is embedded.
        guard !self.isCatchingUp else { return 0 }
        self.isCatchingUp = true
        defer { self.isCatchingUp = false }
        let latest = try await store.latestSequence()
        if latest < self.sequence {
            self.working = FlatVectorIndex(dimension: self.model.encoder.dimension)
            self.sequence = 0
        }
        let total = Int(max(0, latest - self.sequence))
        var state = Progress(vectors: self.working.count, applied: 0, total: total, embedded: 0)
        var lastPublish = ContinuousClock.now
        var unsaved = false
        defer {
            if unsaved { try? self.publish(writeFile: true) }
        }
        while !Task.isCancelled {
            let changes = try await store.changes(since: self.sequence, limit: self.batchSize)
            if changes.isEmpty { break }
            try await self.apply(changes, embeddings: embeddings, embedded: &state.embedded)
            self.sequence = changes.last!.sequence
            unsaved = true
            state.applied += changes.count
            state.vectors = self.working.count
            progress(state)
            if ContinuousClock.now - lastPublish >= self.publishEvery {
                try self.publish(writeFile: true)
                unsaved = false
                lastPublish = .now
            }
            if changes.count < self.batchSize { break }
        }
        if unsaved {
            try self.publish(writeFile: true)
            unsaved = false
        }
        if !Task.isCancelled { self.caughtUp.withLock { $0 = true } }
        return state.applied
    }

    private func apply(_ changes: [PaperChange], embeddings: any EmbeddingStore, embedded: inout Int) async throws {
        // The last change of a paper in the batch is its state.
        var latest: [PaperID: Paper?] = [:]
        var order: [PaperID] = []
        for change in changes {
            if latest[change.id] == nil { order.append(change.id) }
            latest[change.id] = .some(change.paper)
        }
        var texts: [PaperID: (text: String, hash: String)] = [:]
        for id in order {
            guard let paper = latest[id] ?? nil else {
                self.working.remove(id.rawValue)
                continue
            }
            let text = EmbeddingModel.text(title: paper.title, abstract: paper.abstract)
            texts[id] = (text, EmbeddingModel.textHash(text))
        }
        let wanted = order.filter { texts[$0] != nil }
        let stored = try await embeddings.embeddings(model: self.model.identity, ids: wanted)
        var missing: [PaperID] = []
        for id in wanted {
            if let found = stored[id], found.textHash == texts[id]!.hash,
                found.vector.count == self.model.encoder.dimension
            {
                self.working.set(id.rawValue, found.vector)
            } else {
                missing.append(id)
            }
        }
        guard !missing.isEmpty else { return }
        let vectors = await self.model.embed(missing.map { texts[$0]!.text })
        let fresh = zip(missing, vectors).map { StoredEmbedding(paperID: $0, textHash: texts[$0]!.hash, vector: $1) }
        try await embeddings.saveEmbeddings(fresh, model: self.model.identity)
        for embedding in fresh { self.working.set(embedding.paperID.rawValue, embedding.vector) }
        embedded += fresh.count
    }

    /// Makes the working vectors the snapshot searches see, and writes them to the file.
    private func publish(writeFile: Bool) throws {
        self.current.withLock { $0 = self.working }
        guard writeFile else { return }
        do {
            try self.working.write(
                to: self.path, userData: ["sequence": String(self.sequence), "model": self.model.identity])
        } catch {
            throw ServiceError(.unavailable, "the vector file cannot be written: \(error.message)")
        }
        self.fileDate = Self.modified(self.path)
    }

    /// Re-reads the file another process writes, when it changed.
    private func reload() throws -> Int {
        let date = Self.modified(self.path)
        defer { self.caughtUp.withLock { $0 = true } }
        guard date != self.fileDate,
            let loaded = try Self.load(self.path, dimension: self.model.encoder.dimension)
        else { return 0 }
        self.fileDate = date
        self.working = loaded.index
        self.sequence = loaded.sequence
        self.current.withLock { $0 = loaded.index }
        return 1
    }

    /// Forgets every vector, in the file and in the store, so that the next catch-up embeds
    /// every paper again; returns how many the store had.
    @discardableResult
    public func rebuild(embeddings: any EmbeddingStore) async throws -> Int {
        let removed = try await embeddings.removeEmbeddings(model: self.model.identity)
        self.working = FlatVectorIndex(dimension: self.model.encoder.dimension)
        self.sequence = 0
        try? FileManager.default.removeItem(atPath: self.path)
        self.current.withLock { $0 = self.working }
        return removed
    }
}
