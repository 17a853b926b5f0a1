public import PaperboyModel
public import PaperboySearch
public import PaperboyStore
import Synchronization

/// The search index of the papers in a store: a replica that follows the store's change feed.
///
/// One writer applies changes (``catchUp(with:)``); readers take the current immutable
/// ``Searcher`` snapshot without waiting for it.
public actor PaperIndex {
    /// Fields indexed, in document order: title (weighted ×2), abstract, authors.
    public static let schema = IndexSchema(fields: [
        .init(name: "title", weight: 2.0, b: 0.75),
        .init(name: "abstract", weight: 1.0, b: 0.75),
        .init(name: "author", weight: 1.0, b: 0.5),
    ])

    /// The analyzer of documents and queries.
    public nonisolated let analyzer: any Analyzer
    private let writer: IndexWriter
    private var sequence: Int64 = 0
    private nonisolated let current: Mutex<Searcher>
    private nonisolated let caughtUp = Mutex(false)

    /// Creates an empty index.
    public init(analyzer: any Analyzer = EnglishAnalyzer()) {
        self.analyzer = analyzer
        self.writer = IndexWriter(schema: Self.schema, analyzer: analyzer)
        self.current = Mutex(Searcher(schema: Self.schema))
    }

    /// The latest committed snapshot.
    public nonisolated var searcher: Searcher {
        self.current.withLock { $0 }
    }

    /// Whether the index has caught up with its store at least once; until then searches see only
    /// part of the papers.
    public nonisolated var isReady: Bool {
        self.caughtUp.withLock { $0 }
    }

    /// The store sequence number the index has caught up to.
    public var appliedSequence: Int64 { self.sequence }

    /// Applies the store's changes since the last catch-up, commits, and publishes the new
    /// snapshot. Returns how many changes were applied.
    @discardableResult
    public func catchUp(with store: any PaperStore, batchSize: Int = 10_000) async throws -> Int {
        var applied = 0
        while true {
            let changes = try await store.changes(since: self.sequence, limit: batchSize)
            if changes.isEmpty { break }
            for change in changes {
                if let paper = change.paper {
                    self.writer.add(Self.document(for: paper))
                } else {
                    self.writer.delete(key: change.id.rawValue)
                }
            }
            self.sequence = changes.last!.sequence
            applied += changes.count
            if changes.count < batchSize { break }
        }
        if applied > 0 {
            let searcher = self.writer.commit()
            self.current.withLock { $0 = searcher }
        }
        self.caughtUp.withLock { $0 = true }
        return applied
    }

    /// The engine document of a paper.
    public static func document(for paper: Paper) -> Document {
        Document(
            key: paper.id.rawValue,
            fields: [paper.title, paper.abstract, paper.authors.map(\.name).joined(separator: ", ")]
        )
    }
}
