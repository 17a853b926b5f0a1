/// An immutable snapshot of an index: its segments, their deletions and the collection
/// statistics that scoring uses. Searching a snapshot is safe from any thread while the writer
/// goes on; a new commit makes a new snapshot.
public struct Searcher: Sendable {
    /// The schema of the indexed documents.
    public let schema: IndexSchema
    /// The segments, each with its deletions as of this snapshot.
    public let segments: [SegmentReader]
    /// The analyzer of the indexed text, for queries and highlights.
    public let analyzer: any Analyzer
    /// Documents that are not deleted.
    public let documentCount: Int
    /// Documents counted by idf and average lengths: all stored, deleted ones included until a
    /// merge drops them, as Lucene does.
    let statisticsDocumentCount: Int
    /// The BM25F function with this snapshot's average field lengths.
    public let scoring: BM25F
    /// The time budget of the search this snapshot serves, if it has one.
    let budget: SearchBudget?

    /// Results are counted exactly up to this many matches; past it, pruning may skip documents
    /// that cannot enter the top, and ``TopDocs/totalHitsIsExact`` is false.
    public static let totalHitsThreshold = 1_000

    /// Creates a snapshot of `segments`.
    public init(schema: IndexSchema, segments: [SegmentReader], analyzer: any Analyzer = EnglishAnalyzer()) {
        self.schema = schema
        self.segments = segments
        self.analyzer = analyzer
        self.documentCount = segments.reduce(0) { $0 + $1.liveCount }
        let stored = segments.reduce(0) { $0 + $1.file.documentCount }
        self.statisticsDocumentCount = stored
        var sums = Array(repeating: UInt64(0), count: schema.fields.count)
        for reader in segments {
            for (field, sum) in reader.file.fieldLengthSums.enumerated() where field < sums.count { sums[field] += sum }
        }
        let averages = sums.map { stored > 0 ? Float($0) / Float(stored) : 1 }
        self.scoring = BM25F(schema: schema, averageLengths: averages)
        self.budget = nil
    }

    private init(_ other: Searcher, spending budget: SearchBudget) {
        self.schema = other.schema
        self.segments = other.segments.map { $0.spending(budget) }
        self.analyzer = other.analyzer
        self.documentCount = other.documentCount
        self.statisticsDocumentCount = other.statisticsDocumentCount
        self.scoring = other.scoring
        self.budget = budget
    }

    /// How many stored documents contain the text term `term` in any field.
    public func documentFrequency(_ term: String) -> Int {
        self.documentFrequency(bytes: Array(term.utf8))
    }

    func documentFrequency(bytes: [UInt8]) -> Int {
        self.segments.reduce(0) { $0 + ($1.file.termInfo(bytes)?.documentFrequency ?? 0) }
    }

    /// The best `limit` documents for `query`, best first; ties go to the earlier document.
    ///
    /// - Parameters:
    ///   - exhaustive: score every match instead of skipping those that cannot enter the top (the
    ///     same results, slower; the oracle of the tests).
    ///   - budget: how long the search may run; past it, the search stops and returns the best of
    ///     what it matched so far, with ``TopDocs/isPartial`` set. `nil`: no limit.
    public func search(
        _ query: any Query, limit: Int, exhaustive: Bool = false, budget: Duration? = nil
    ) -> TopDocs {
        var collector = TopScoreCollector(limit: limit)
        let isPartial = self.search(query, collector: &collector, exhaustive: exhaustive, budget: budget)
        var top = collector.topDocs(searcher: self)
        top.isPartial = isPartial
        return top
    }

    /// Feeds the matches of `query` to `collector`; with pruning, those that may enter its top.
    ///
    /// - Returns: whether the budget ran out before every segment was searched.
    @discardableResult
    public func search(
        _ query: any Query, collector: inout TopScoreCollector, exhaustive: Bool = false, budget: Duration? = nil
    ) -> Bool {
        // The budget counts from here: expanding prefixes into terms and building the scorers are
        // part of the cost, and both stop early once it is spent.
        let spending = budget.map(SearchBudget.init)
        let searcher = spending.map { Searcher(self, spending: $0) } ?? self
        let weight = query.weight(searcher)
        for reader in searcher.segments {
            guard let scorer = weight.scorer(reader) else { continue }
            collector.setSegment(reader.ordinal)
            var competitive: Float = -1
            var doc = scorer.advance()
            var matched = 0
            while doc != Int32.max {
                // A document found as the budget ran out may have been judged by cursors that had
                // already stopped (an exclusion not seen): it is dropped. The clock is also read
                // every 256 matches, for scorers that match much without loading blocks.
                if let spending {
                    matched &+= 1
                    if spending.isSpent || (matched & 255 == 0 && spending.poll()) { break }
                }
                collector.collect(doc: doc, score: scorer.score())
                if !exhaustive, collector.totalHits >= Self.totalHitsThreshold, let threshold = collector.threshold,
                    threshold > competitive
                {
                    competitive = threshold
                    scorer.setMinimumCompetitiveScore(threshold)
                }
                doc = scorer.advance()
            }
            if !exhaustive, collector.totalHits >= Self.totalHitsThreshold { collector.markInexact() }
            if spending?.isSpent == true { break }
        }
        // Spent while a segment's scorer was built counts too: its matches were not all seen.
        guard spending?.isSpent == true else { return false }
        collector.markInexact()
        return true
    }

    /// The keys of every document `query` matches, in no order; stops when `budget` is spent
    /// (then ``isPartial`` is true and the keys are those matched so far).
    public func matchingKeys(_ query: any Query, budget: Duration? = nil) -> (keys: Set<String>, isPartial: Bool) {
        let spending = budget.map(SearchBudget.init)
        let searcher = spending.map { Searcher(self, spending: $0) } ?? self
        let weight = query.weight(searcher)
        var keys = Set<String>()
        var matched = 0
        for reader in searcher.segments {
            guard let scorer = weight.scorer(reader) else { continue }
            var doc = scorer.advance()
            while doc != Int32.max {
                if let spending {
                    matched &+= 1
                    if spending.isSpent || (matched & 255 == 0 && spending.poll()) { return (keys, true) }
                }
                keys.insert(reader.file.key(doc))
                doc = scorer.advance()
            }
        }
        return (keys, spending?.isSpent == true)
    }

    /// The key of the document at `address`.
    public func key(of address: DocAddress) -> String {
        self.segments[address.segment].file.key(address.doc)
    }

    /// Bytes of the segment files.
    public var byteCount: Int { self.segments.reduce(0) { $0 + $1.file.byteCount } }
}

/// A segment as one snapshot sees it: the segment file and the documents deleted from it so far.
public struct SegmentReader: Sendable {
    /// The segment file.
    public let file: SegmentFile
    /// Deleted documents, or `nil` when there are none.
    public let deletions: BitSet?
    /// The segment's position in its snapshot.
    public let ordinal: Int
    /// The time budget of the search this reader serves, if it has one.
    let budget: SearchBudget?

    /// Creates a reader.
    public init(file: SegmentFile, deletions: BitSet?, ordinal: Int) {
        self.init(file: file, deletions: deletions, ordinal: ordinal, budget: nil)
    }

    private init(file: SegmentFile, deletions: BitSet?, ordinal: Int, budget: SearchBudget?) {
        self.file = file
        self.deletions = deletions
        self.ordinal = ordinal
        self.budget = budget
    }

    /// The same reader for a search with `budget`.
    func spending(_ budget: SearchBudget) -> SegmentReader {
        SegmentReader(file: self.file, deletions: self.deletions, ordinal: self.ordinal, budget: budget)
    }

    /// How many documents are not deleted.
    public var liveCount: Int { self.file.documentCount - (self.deletions?.count ?? 0) }

    @inline(__always)
    func isDeleted(_ doc: Int32) -> Bool {
        self.deletions?.contains(Int(doc)) ?? false
    }
}
