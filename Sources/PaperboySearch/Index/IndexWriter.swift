import Foundation
import Synchronization

/// Adds, replaces and deletes documents in an index folder, and commits them.
///
/// Added documents are inverted in memory and flushed to a new immutable segment file when the
/// buffer is full or at ``commit(userData:)``. A commit writes the new segment and deletion
/// files, syncs them, then replaces the manifest atomically; a crash at any point leaves the last
/// commit readable. Small segments are merged in the background (a log-structured policy:
/// `mergeFactor` segments of one size class become one), and the merge lands at a later commit.
///
/// One writer per folder (a lock file says so across processes); one owner per writer (an actor
/// or a single task). Snapshots (``Searcher``) already handed out stay valid.
public final class IndexWriter {
    /// The schema every added document follows.
    public let schema: IndexSchema
    /// The analyzer applied to every text field.
    public let analyzer: any Analyzer
    /// The folder.
    public let directory: IndexDirectory
    /// Flush the in-memory buffer to a segment when it holds this many bytes.
    public var ramBufferBytes = 96 << 20
    /// How many segments of one size class are merged into one.
    public var mergeFactor = 8
    /// Whether merges run in the background (off: they run during commit, for tests and replays;
    /// either way a merge lands at the next commit).
    public var backgroundMerges = true

    private let lock: IndexLock
    private var manifest: Manifest
    private var previousManifest: Manifest?
    private var segments: [LiveSegment] = []
    /// In-memory buffers: single adds go to the first; batches fill all of them in parallel.
    private var buffers: [SegmentBuffer]
    private var bufferDeletions: [Set<Int32>]
    /// How many threads a batch add uses (one buffer each).
    public let threads: Int
    private var merge: RunningMerge?
    /// The snapshot of the last commit.
    public private(set) var searcher: Searcher

    private struct LiveSegment {
        var file: SegmentFile
        var deletions: BitSet?
        var deletionFile: String?
        var deletionsChanged = false
    }

    private final class RunningMerge: Sendable {
        let sources: [String]
        let snapshots: [BitSet?]
        let outcome = Mutex<Result<(name: String, mappings: [[Int32]]), SearchError>?>(nil)
        let done = Mutex<Bool>(false)

        init(sources: [String], snapshots: [BitSet?]) {
            self.sources = sources
            self.snapshots = snapshots
        }
    }

    /// Opens the index in `directory`, creating an empty one if there is none.
    ///
    /// - Parameter resetOnSchemaChange: when the index was written with another schema, start
    ///   over empty (the caller rebuilds it) instead of failing.
    /// - Throws: ``SearchError`` when the folder is locked by another writer, or damaged.
    public init(
        directory: IndexDirectory,
        schema: IndexSchema,
        analyzer: any Analyzer = EnglishAnalyzer(),
        resetOnSchemaChange: Bool = true
    ) throws(SearchError) {
        self.directory = directory
        self.schema = schema
        self.analyzer = analyzer
        self.lock = try directory.lockForWriting()
        self.threads = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        self.buffers = (0..<self.threads).map { _ in SegmentBuffer(schema: schema, analyzer: analyzer) }
        self.bufferDeletions = Array(repeating: [], count: self.threads)
        var manifest = Manifest(schema: schema.fingerprint)
        if let existing = try IndexReader.readManifest(directory) {
            if existing.schema == schema.fingerprint {
                manifest = existing
            } else if !resetOnSchemaChange {
                throw SearchError(.indexCorrupt, "the index \(directory.path) was written with another schema")
            } else {
                manifest.nextSegment = existing.nextSegment
                manifest.generation = existing.generation
            }
        }
        self.manifest = manifest
        for entry in manifest.segments {
            let file = try SegmentFile(path: directory.filePath(entry.name + ".seg"), name: entry.name)
            var deletions: BitSet?
            if let name = entry.deletionFile {
                guard let bytes = directory.readFile(name), let set = BitSet(serialized: bytes),
                    set.capacity == file.documentCount
                else { throw SearchError(.indexCorrupt, "index deletion file \(directory.filePath(name)) is damaged") }
                deletions = set
            }
            self.segments.append(LiveSegment(file: file, deletions: deletions, deletionFile: entry.deletionFile))
        }
        self.searcher = Searcher(schema: schema, segments: [])
        self.searcher = self.makeSearcher()
        self.removeUnusedFiles()
    }

    /// The caller's data stored with the last commit.
    public var userData: [String: String] { self.manifest.userData }

    /// How many live documents the index holds, buffered ones included.
    public var documentCount: Int {
        self.segments.reduce(0) { $0 + $1.file.documentCount - ($1.deletions?.count ?? 0) }
            + self.buffers.reduce(0) { $0 + $1.documentCount } - self.bufferDeletions.reduce(0) { $0 + $1.count }
    }

    // MARK: Changes

    /// Adds a document, replacing any with the same key.
    public func add(_ document: Document) throws(SearchError) {
        self.delete(key: document.key)
        self.buffers[0].add(document)
        if self.buffers[0].byteCount >= self.ramBufferBytes { try self.flush(0) }
    }

    /// Adds documents, replacing any with the same keys (a later one in the batch wins), using
    /// ``threads`` threads: each inverts a share of the batch into its own buffer.
    public func add(contentsOf documents: [Document]) throws(SearchError) {
        guard documents.count > 1, self.threads > 1 else {
            for document in documents { try self.add(document) }
            return
        }
        var last: [String: Int] = [:]
        for (index, document) in documents.enumerated() { last[document.key] = index }
        for key in last.keys { self.delete(key: key) }
        let threads = self.threads
        let batch = documents
        let latest = last
        self.buffers.withUnsafeMutableBufferPointer { pointer in
            // Safe: thread `i` touches only buffer `i`, and the batch is only read.
            nonisolated(unsafe) let buffers = pointer
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                let lower = batch.count * thread / threads
                let upper = batch.count * (thread + 1) / threads
                for index in lower..<upper where latest[batch[index].key] == index { buffers[thread].add(batch[index]) }
            }
        }
        let full = self.buffers.indices.filter { self.buffers[$0].byteCount >= self.ramBufferBytes }
        try self.flush(full)
    }

    /// Deletes the document with `key`, if any.
    public func delete(key: String) {
        for index in self.buffers.indices {
            if let doc = self.buffers[index].document(forKey: key), !self.bufferDeletions[index].contains(doc) {
                self.bufferDeletions[index].insert(doc)
                return
            }
        }
        guard !self.segments.isEmpty else { return }
        let term = SegmentFormat.keyTerm(key)
        for index in self.segments.indices.reversed() {
            let file = self.segments[index].file
            guard let info = file.termInfo(term) else { continue }
            let cursor = PostingsCursor(segment: file, info: info, isText: false)
            var doc = cursor.advance()
            while doc != Int32.max {
                if !(self.segments[index].deletions?.contains(Int(doc)) ?? false) {
                    var deletions = self.segments[index].deletions ?? BitSet(capacity: file.documentCount)
                    deletions.insert(Int(doc))
                    self.segments[index].deletions = deletions
                    self.segments[index].deletionsChanged = true
                    return
                }
                doc = cursor.advance()
            }
        }
    }

    /// Writes buffers as new segments (not yet committed), serialising them in parallel.
    private func flush(_ indices: [Int]) throws(SearchError) {
        let chosen = indices.filter { self.buffers[$0].documentCount > 0 }
        guard !chosen.isEmpty else { return }
        // Safe: each thread reads one buffer (serialising does not mutate) and writes one slot.
        nonisolated(unsafe) var files = [[UInt8]](repeating: [], count: chosen.count)
        nonisolated(unsafe) let buffers = self.buffers
        files.withUnsafeMutableBufferPointer { pointer in
            nonisolated(unsafe) let output = pointer
            DispatchQueue.concurrentPerform(iterations: chosen.count) { position in
                output[position] = buffers[chosen[position]].serialize()
            }
        }
        for (position, index) in chosen.enumerated() {
            let name = String(format: "s%06d", self.manifest.nextSegment)
            self.manifest.nextSegment += 1
            try self.directory.writeFile(name + ".seg", files[position])
            let file = try SegmentFile(path: self.directory.filePath(name + ".seg"), name: name, verify: false)
            var deletions: BitSet?
            if !self.bufferDeletions[index].isEmpty {
                var set = BitSet(capacity: file.documentCount)
                for doc in self.bufferDeletions[index] { set.insert(Int(doc)) }
                deletions = set
            }
            self.segments.append(
                LiveSegment(file: file, deletions: deletions, deletionFile: nil, deletionsChanged: deletions != nil))
            self.buffers[index] = SegmentBuffer(schema: self.schema, analyzer: self.analyzer)
            self.bufferDeletions[index] = []
        }
    }

    private func flush(_ index: Int) throws(SearchError) {
        try self.flush([index])
    }

    // MARK: Commit

    /// Makes every change so far durable and visible, stores `userData` with it, and returns the
    /// new snapshot.
    @discardableResult
    public func commit(userData: [String: String]? = nil) throws(SearchError) -> Searcher {
        try self.flush(Array(self.buffers.indices))
        if let merge = self.merge, merge.done.withLock({ $0 }) { try self.finishMerge(merge) }
        // Segments whose every document is deleted are dropped.
        self.segments.removeAll { ($0.deletions?.count ?? 0) == $0.file.documentCount }
        var manifest = self.manifest
        manifest.generation += 1
        if let userData { manifest.userData = userData }
        manifest.segments = []
        for index in self.segments.indices {
            if self.segments[index].deletionsChanged, let deletions = self.segments[index].deletions {
                let name = "\(self.segments[index].file.name).del\(manifest.generation)"
                try self.directory.writeFile(name, deletions.serialized())
                self.segments[index].deletionFile = name
                self.segments[index].deletionsChanged = false
            }
            let segment = self.segments[index]
            manifest.segments.append(
                Manifest.Segment(
                    name: segment.file.name, documents: segment.file.documentCount,
                    deletions: segment.deletions?.count ?? 0,
                    deletionFile: segment.deletionFile
                )
            )
        }
        self.directory.syncFolder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(manifest))
        } catch {
            throw SearchError(.indexUnreadable, "cannot encode the index manifest: \(error)")
        }
        try self.directory.replaceFile(Manifest.fileName, bytes)
        self.previousManifest = self.manifest
        self.manifest = manifest
        self.removeUnusedFiles()
        self.searcher = self.makeSearcher()
        try self.maybeStartMerge()
        return self.searcher
    }

    private func makeSearcher() -> Searcher {
        Searcher(
            schema: self.schema,
            segments: self.segments.enumerated().map {
                SegmentReader(file: $1.file, deletions: $1.deletions, ordinal: $0)
            },
            analyzer: self.analyzer
        )
    }

    /// Removes files that neither the last nor the one before last commit needs: left by a crash,
    /// a finished merge or replaced deletions. The commit before last is kept for readers in other
    /// processes that may still be opening it.
    private func removeUnusedFiles() {
        var needed = self.manifest.fileNames.union(self.previousManifest?.fileNames ?? [])
        needed.insert("write.lock")
        for segment in self.segments { needed.insert(segment.file.name + ".seg") }
        if let merge = self.merge {
            needed.formUnion(
                merge.outcome.withLock { outcome in
                    if case .success(let result)? = outcome { return [result.name + ".seg"] }
                    return []
                })
            needed.insert("merging")
        }
        for name in self.directory.fileNames() where !needed.contains(name) {
            if name.hasSuffix(".seg"), let merge = self.merge, !merge.done.withLock({ $0 }) { continue }
            self.directory.removeFile(name)
        }
    }

    // MARK: Merges

    /// Starts merging a size class that has `mergeFactor` segments, unless a merge is running.
    private func maybeStartMerge() throws(SearchError) {
        guard self.merge == nil else { return }
        var classes: [Int: [Int]] = [:]
        for (index, segment) in self.segments.enumerated() {
            let live = segment.file.documentCount - (segment.deletions?.count ?? 0)
            let sizeClass = Int(log(Double(max(live, 1))) / log(Double(self.mergeFactor)))
            classes[sizeClass, default: []].append(index)
        }
        guard let (_, members) = classes.filter({ $0.value.count >= self.mergeFactor }).min(by: { $0.key < $1.key })
        else { return }
        let chosen = Array(members.prefix(self.mergeFactor))
        let sources = chosen.map {
            SegmentMerger.Source(segment: self.segments[$0].file, deletions: self.segments[$0].deletions)
        }
        let name = String(format: "s%06d", self.manifest.nextSegment)
        self.manifest.nextSegment += 1
        let running = RunningMerge(
            sources: chosen.map { self.segments[$0].file.name }, snapshots: sources.map(\.deletions))
        self.merge = running
        let directory = self.directory
        let schema = self.schema
        let work: @Sendable () -> Void = {
            let (bytes, mappings) = SegmentMerger.merge(sources, schema: schema)
            let outcome: Result<(name: String, mappings: [[Int32]]), SearchError>
            do throws(SearchError) {
                try directory.writeFile(name + ".seg", bytes)
                outcome = .success((name, mappings))
            } catch {
                outcome = .failure(error)
            }
            running.outcome.withLock { $0 = outcome }
            running.done.withLock { $0 = true }
        }
        // Either way the merged segment lands at the next commit, so that the writer's snapshot is
        // always the last commit's.
        if self.backgroundMerges {
            Thread.detachNewThread(work)
        } else {
            work()
        }
    }

    /// Swaps a finished merge in: the merged segment replaces its sources, keeping the deletions
    /// made while it ran.
    private func finishMerge(_ running: RunningMerge) throws(SearchError) {
        self.merge = nil
        guard let outcome = running.outcome.withLock({ $0 }) else { return }
        let (name, mappings) = try outcome.get()
        let file = try SegmentFile(path: self.directory.filePath(name + ".seg"), name: name, verify: false)
        var deletions: BitSet?
        var firstIndex: Int?
        for (sourceIndex, sourceName) in running.sources.enumerated() {
            guard let index = self.segments.firstIndex(where: { $0.file.name == sourceName }) else {
                throw SearchError(.indexCorrupt, "segment \(sourceName) vanished during a merge")
            }
            firstIndex = min(firstIndex ?? index, index)
            let now = self.segments[index].deletions
            let then = running.snapshots[sourceIndex]
            guard let now, now.count != (then?.count ?? 0) else { continue }
            for doc in 0..<now.capacity where now.contains(doc) && !(then?.contains(doc) ?? false) {
                let mapped = mappings[sourceIndex][doc]
                guard mapped >= 0 else { continue }
                var set = deletions ?? BitSet(capacity: file.documentCount)
                set.insert(Int(mapped))
                deletions = set
            }
        }
        let merged = LiveSegment(
            file: file, deletions: deletions, deletionFile: nil, deletionsChanged: deletions != nil)
        self.segments.removeAll { running.sources.contains($0.file.name) }
        self.segments.insert(merged, at: min(firstIndex ?? 0, self.segments.count))
    }

    /// Waits for a running merge and commits its result (for tests and benchmarks).
    public func waitForMerges() throws(SearchError) {
        while let merge = self.merge {
            while !merge.done.withLock({ $0 }) { usleep(2_000) }
            try self.commit()
        }
    }
}
