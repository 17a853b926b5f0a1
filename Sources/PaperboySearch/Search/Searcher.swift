/// An immutable snapshot of an index: its segments, their deletions and the collection
/// statistics that scoring uses. Searching a snapshot is safe from any thread while the writer
/// goes on; a new commit makes a new snapshot.
public struct Searcher: Sendable {
    /// The schema of the indexed documents.
    public let schema: IndexSchema
    /// The segments, each with its deletions as of this snapshot.
    public let segments: [SegmentReader]
    /// Documents that are not deleted.
    public let documentCount: Int
    /// Documents counted by idf and average lengths: all stored, deleted ones included until a
    /// merge drops them, as Lucene does.
    let statisticsDocumentCount: Int
    /// The BM25F function with this snapshot's average field lengths.
    public let scoring: BM25F

    /// Creates a snapshot of `segments`.
    public init(schema: IndexSchema, segments: [SegmentReader]) {
        self.schema = schema
        self.segments = segments
        self.documentCount = segments.reduce(0) { $0 + $1.liveCount }
        let stored = segments.reduce(0) { $0 + $1.segment.documentCount }
        self.statisticsDocumentCount = stored
        var sums = Array(repeating: 0, count: schema.fields.count)
        for reader in segments {
            for (field, sum) in reader.segment.fieldLengthSums.enumerated() { sums[field] += sum }
        }
        let averages = sums.map { stored > 0 ? Float($0) / Float(stored) : 1 }
        self.scoring = BM25F(schema: schema, averageLengths: averages)
    }

    /// An empty snapshot.
    public init(schema: IndexSchema) {
        self.init(schema: schema, segments: [])
    }

    /// How many stored documents contain `term` in any field.
    public func documentFrequency(_ term: String) -> Int {
        self.segments.reduce(0) { $0 + $1.segment.documentFrequency(term) }
    }

    /// The best `limit` documents for `query`, best first; ties go to the earlier document.
    public func search(_ query: any Query, limit: Int) -> TopDocs {
        var collector = TopScoreCollector(limit: limit)
        self.search(query, collector: &collector)
        return collector.topDocs(searcher: self)
    }

    /// Feeds every match of `query` to `collector`.
    public func search(_ query: any Query, collector: inout some Collector) {
        let weight = query.weight(self)
        for reader in self.segments {
            guard let scorer = weight.scorer(reader) else { continue }
            collector.setSegment(reader.ordinal)
            var doc = scorer.advance()
            while doc != Int32.max {
                collector.collect(doc: doc, score: scorer.score())
                doc = scorer.advance()
            }
        }
    }

    /// The key of the document at `address`.
    public func key(of address: DocAddress) -> String {
        self.segments[address.segment].segment.keys[Int(address.doc)]
    }

    /// Approximate bytes held by the segments.
    public var byteCount: Int { self.segments.reduce(0) { $0 + $1.segment.byteCount } }
}
