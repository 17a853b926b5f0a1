import Foundation
public import PaperboyModel
public import PaperboySearch
public import PaperboyStore
import Synchronization

/// The search index of the papers in a store: a replica on disk that follows the store's change
/// feed, recording in each commit the store sequence number it has reached.
///
/// One process writes an index folder; if another already does (a running `serve`), this one
/// opens it read-only and follows that process's commits instead. Readers take the current
/// immutable ``Searcher`` snapshot without waiting.
public actor PaperIndex {
    /// Text fields: title (weighted ×2), abstract, authors; the `category` keyword field; the
    /// `day` numeric field (announcement day, days since 1970-01-01).
    public static let schema = IndexSchema(
        fields: [
            .init(name: "title", weight: 2.0, b: 0.75),
            .init(name: "abstract", weight: 1.0, b: 0.75),
            .init(name: "author", weight: 1.0, b: 0.5),
        ],
        keywordFields: ["category"],
        numericFields: ["day"]
    )

    /// The parser of queries typed by users, with Paperboy's field names.
    public static func parser(analyzer: any Analyzer) -> QueryParser {
        QueryParser(
            schema: Self.schema,
            analyzer: analyzer,
            keywordAliases: ["cat": "category", "category": "category"],
            dateField: "day",
            fieldAliases: ["authors": "author", "ti": "title", "abs": "abstract"]
        )
    }

    /// The folder of the index.
    public nonisolated let directory: IndexDirectory
    /// The analyzer of documents and queries.
    public nonisolated let analyzer: any Analyzer
    private var writer: IndexWriter?
    private var sequence: Int64 = 0 {
        didSet { self.publishedSequence.withLock { [sequence] in $0 = sequence } }
    }
    private nonisolated let publishedSequence = Mutex<Int64>(0)
    private nonisolated let current: Mutex<Searcher>
    private nonisolated let caughtUp = Mutex(false)
    /// Changes applied between commits during a long catch-up.
    public var commitEvery = 50_000

    /// Opens (or creates) the index in the folder at `path`.
    ///
    /// - Throws: ``SearchError`` when the folder cannot be used.
    public init(path: String, analyzer: any Analyzer = EnglishAnalyzer()) throws {
        let directory = try IndexDirectory(path: path)
        let opened = try Self.open(directory, analyzer: analyzer)
        self.analyzer = analyzer
        self.directory = directory
        self.writer = opened.writer
        self.sequence = opened.sequence
        self.current = Mutex(opened.searcher)
    }

    /// The writer of the folder, or when another process holds it, its last commit to follow.
    private static func open(
        _ directory: IndexDirectory, analyzer: any Analyzer
    ) throws -> (
        writer: IndexWriter?, searcher: Searcher, sequence: Int64
    ) {
        let writer: IndexWriter
        do throws(SearchError) {
            writer = try IndexWriter(directory: directory, schema: Self.schema, analyzer: analyzer)
        } catch {
            guard error.code == .indexLocked else { throw error }
            let opened = try IndexReader.open(directory, schema: Self.schema, analyzer: analyzer)
            return (
                nil, opened?.searcher ?? Searcher(schema: Self.schema, segments: [], analyzer: analyzer),
                Int64(opened?.userData["sequence"] ?? "") ?? 0
            )
        }
        return (writer, writer.searcher, Int64(writer.userData["sequence"] ?? "") ?? 0)
    }

    /// The latest committed snapshot.
    public nonisolated var searcher: Searcher {
        self.current.withLock { $0 }
    }

    /// How many papers the latest snapshot holds.
    public nonisolated var documentCount: Int { self.searcher.documentCount }

    /// Whether the index has caught up with its store at least once; until then searches see only
    /// part of the papers.
    public nonisolated var isReady: Bool {
        self.caughtUp.withLock { $0 }
    }

    /// Whether this process writes the index (else it follows another's commits).
    public var isWriter: Bool { self.writer != nil }

    /// The store sequence number the index has caught up to.
    public var appliedSequence: Int64 { self.sequence }

    /// The same, read without waiting for the actor (a catch-up may hold it for a while): for
    /// `/health` and metrics.
    public nonisolated var caughtUpSequence: Int64 { self.publishedSequence.withLock { $0 } }

    /// Applies the store's changes since the last catch-up and commits; returns how many were
    /// applied. A read-only index instead reloads the writer's latest commit.
    ///
    /// When the store is behind the index (a new database under an old index), the index starts
    /// over from the store.
    @discardableResult
    public func catchUp(with store: any PaperStore, batchSize: Int = 10_000) async throws -> Int {
        guard let writer = self.writer else { return try self.reload() }
        let latest = try await store.latestSequence()
        if latest < self.sequence {
            for key in Self.allKeys(writer.searcher) { writer.delete(key: key) }
            self.sequence = 0
        }
        var applied = 0
        var sinceCommit = 0
        while true {
            let changes = try await store.changes(since: self.sequence, limit: batchSize)
            if changes.isEmpty { break }
            for change in changes {
                if let paper = change.paper {
                    try writer.add(Self.document(for: paper))
                } else {
                    writer.delete(key: change.id.rawValue)
                }
            }
            self.sequence = changes.last!.sequence
            applied += changes.count
            sinceCommit += changes.count
            if sinceCommit >= self.commitEvery {
                try self.commit(writer)
                sinceCommit = 0
            }
            if changes.count < batchSize { break }
        }
        if sinceCommit > 0 || (applied == 0 && latest < self.sequence) { try self.commit(writer) }
        self.caughtUp.withLock { $0 = true }
        return applied
    }

    private func commit(_ writer: IndexWriter) throws {
        let searcher = try writer.commit(userData: ["sequence": String(self.sequence)])
        self.current.withLock { $0 = searcher }
    }

    /// Re-reads the index another process writes.
    private func reload() throws -> Int {
        guard let opened = try IndexReader.open(self.directory, schema: Self.schema, analyzer: self.analyzer) else {
            return 0
        }
        let sequence = Int64(opened.userData["sequence"] ?? "") ?? 0
        let changed = sequence != self.sequence
        self.sequence = sequence
        self.current.withLock { $0 = opened.searcher }
        self.caughtUp.withLock { $0 = true }
        return changed ? 1 : 0
    }

    private static func allKeys(_ searcher: Searcher) -> [String] {
        var keys: [String] = []
        for reader in searcher.segments {
            for doc in 0..<Int32(reader.file.documentCount) where !(reader.deletions?.contains(Int(doc)) ?? false) {
                keys.append(reader.file.key(doc))
            }
        }
        return keys
    }

    /// The engine document of a paper.
    public static func document(for paper: Paper) -> Document {
        Document(
            key: paper.id.rawValue,
            fields: [paper.title, paper.abstract, paper.authors.map(\.name).joined(separator: ", ")],
            keywords: [paper.categories],
            numbers: [Int64(paper.announced.daysSinceEpoch)]
        )
    }
}

extension PaperIndex {
    /// Checks that a query parses (for saved searches), throwing the parser's located error.
    nonisolated public var queryCheck: @Sendable (String) throws -> Void {
        let analyzer = self.analyzer
        return { query in _ = try PaperIndex.parser(analyzer: analyzer).parse(query, mode: .or) }
    }
}
