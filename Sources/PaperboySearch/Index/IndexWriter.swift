/// Adds, replaces and deletes documents, and commits them as new immutable segments.
///
/// A writer has one owner (an actor or a single task). Each ``commit()`` returns a new
/// ``Searcher`` snapshot; snapshots already handed out stay valid and unchanged. When commits have
/// left many small segments, the writer merges them, dropping deleted documents.
public final class IndexWriter {
    /// The schema every added document follows.
    public let schema: IndexSchema
    /// The analyzer applied to every field.
    public let analyzer: any Analyzer
    /// More segments than this after a commit triggers a merge of all but the largest.
    public var maxSegments = 8

    private struct Stored {
        let id: Int
        let segment: Segment
        var deletions: BitSet?
    }

    private struct Location {
        /// The id of the committed segment, or `nil` while the document is pending.
        var segmentID: Int?
        var doc: Int32
    }

    private var segments: [Stored] = []
    private var nextSegmentID = 0
    private var builder: SegmentBuilder
    private var pendingDeletions: Set<Int32> = []
    /// Keys added since the last commit, in document order.
    private var pendingKeys: [String] = []
    private var locations: [String: Location] = [:]
    /// The snapshot of the last commit.
    public private(set) var searcher: Searcher

    /// Creates an empty index.
    public init(schema: IndexSchema, analyzer: any Analyzer = EnglishAnalyzer()) {
        self.schema = schema
        self.analyzer = analyzer
        self.builder = SegmentBuilder(fieldCount: schema.fields.count)
        self.searcher = Searcher(schema: schema)
    }

    /// How many live documents the index will hold after the next commit.
    public var documentCount: Int { self.locations.count }

    /// Adds a document, replacing any with the same key.
    public func add(_ document: Document) {
        precondition(
            document.fields.count == self.schema.fields.count, "document \(document.key) has the wrong field count")
        self.delete(key: document.key)
        let doc = Int32(self.builder.documentCount)
        self.builder.startDocument(key: document.key)
        for (field, text) in document.fields.enumerated() {
            self.analyzer.analyze(text) { self.builder.addTerm($0.term, field: field, isSynonym: $0.isSynonym) }
        }
        self.locations[document.key] = Location(segmentID: nil, doc: doc)
        self.pendingKeys.append(document.key)
    }

    /// Deletes the document with `key`, if any.
    public func delete(key: String) {
        guard let location = self.locations.removeValue(forKey: key) else { return }
        if let segmentID = location.segmentID {
            let index = self.segments.firstIndex { $0.id == segmentID }!
            var deletions =
                self.segments[index].deletions ?? BitSet(capacity: self.segments[index].segment.documentCount)
            deletions.insert(Int(location.doc))
            self.segments[index].deletions = deletions
        } else {
            self.pendingDeletions.insert(location.doc)
        }
    }

    /// Makes every change so far visible in a new snapshot, and returns it.
    @discardableResult
    public func commit() -> Searcher {
        if self.builder.documentCount > 0 {
            let segment = self.builder.build()
            var deletions: BitSet?
            if !self.pendingDeletions.isEmpty {
                var set = BitSet(capacity: segment.documentCount)
                for doc in self.pendingDeletions { set.insert(Int(doc)) }
                deletions = set
            }
            let id = self.nextSegmentID
            self.nextSegmentID += 1
            self.segments.append(Stored(id: id, segment: segment, deletions: deletions))
            for key in self.pendingKeys {
                if let location = self.locations[key], location.segmentID == nil {
                    self.locations[key] = Location(segmentID: id, doc: location.doc)
                }
            }
            self.pendingKeys = []
            self.builder = SegmentBuilder(fieldCount: self.schema.fields.count)
            self.pendingDeletions = []
        }
        // Segments whose every document is deleted are dropped.
        self.segments.removeAll { ($0.deletions?.count ?? 0) == $0.segment.documentCount }
        if self.segments.count > self.maxSegments { self.mergeSmallSegments() }
        self.searcher = Searcher(
            schema: self.schema,
            segments: self.segments.enumerated().map {
                SegmentReader(segment: $1.segment, deletions: $1.deletions, ordinal: $0)
            }
        )
        return self.searcher
    }

    /// Merges every segment but the largest into one, dropping deleted documents.
    private func mergeSmallSegments() {
        let largest = self.segments.indices.max {
            self.segments[$0].segment.documentCount < self.segments[$1].segment.documentCount
        }!
        let keep = self.segments[largest]
        let merging = self.segments.enumerated().filter { $0.offset != largest }.map(\.element)
        let merged = SegmentMerger.merge(
            merging.map { ($0.segment, $0.deletions) }, fieldCount: self.schema.fields.count)
        let id = self.nextSegmentID
        self.nextSegmentID += 1
        for (doc, key) in merged.keys.enumerated() {
            self.locations[key] = Location(segmentID: id, doc: Int32(doc))
        }
        self.segments = [keep, Stored(id: id, segment: merged, deletions: nil)]
    }
}
