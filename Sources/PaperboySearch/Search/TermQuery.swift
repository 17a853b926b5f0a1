/// Documents that contain a term in any of a set of fields, scored by ``BM25F``.
public struct TermQuery: Query {
    /// The analysed term.
    public let term: String
    /// The fields searched, by position in the schema; `nil` means all of them.
    public let fields: [Int]?

    /// Creates a query for `term` in `fields` (all fields when `nil`).
    public init(term: String, fields: [Int]? = nil) {
        self.term = term
        self.fields = fields
    }

    public var terms: [String] { [self.term] }

    public var description: String {
        if let fields { return "\(fields.map(String.init).joined(separator: ",")):\(self.term)" }
        return self.term
    }

    public func weight(_ searcher: Searcher) -> any Weight {
        let idf = BM25F.idf(
            documentFrequency: searcher.documentFrequency(self.term),
            documentCount: searcher.statisticsDocumentCount
        )
        var scoring = searcher.scoring
        if let fields = self.fields {
            // Fields outside the query weigh nothing.
            let weights = scoring.weights.indices.map { fields.contains($0) ? scoring.weights[$0] : 0 }
            scoring = BM25F(k1: scoring.k1, weights: weights, b: scoring.b, averageLengths: scoring.averageLengths)
        }
        return TermWeight(term: self.term, idf: idf, scoring: scoring)
    }
}

struct TermWeight: Weight {
    let term: String
    let idf: Float
    let scoring: BM25F

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        guard let range = reader.segment.postingRange(self.term) else { return nil }
        return TermScorer(reader: reader, range: range, idf: self.idf, scoring: self.scoring)
    }
}

/// Walks one term's postings in a segment, skipping deleted documents and documents where the
/// term is only in fields the query does not search.
final class TermScorer: Scorer {
    private let reader: SegmentReader
    private let segment: Segment
    private let range: Range<Int>
    private let idf: Float
    private let scoring: BM25F
    private var index: Int
    private(set) var doc: Int32 = -1
    private var currentFrequency: Float = 0

    init(reader: SegmentReader, range: Range<Int>, idf: Float, scoring: BM25F) {
        self.reader = reader
        self.segment = reader.segment
        self.range = range
        self.idf = idf
        self.scoring = scoring
        self.index = range.lowerBound - 1
    }

    /// The number of postings, an upper bound on matches.
    var cost: Int { self.range.count }

    func advance() -> Int32 {
        self.index += 1
        return self.settle()
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        // Gallop, then binary search, over the remaining postings.
        var low = max(self.index + 1, self.range.lowerBound)
        var step = 1
        var high = low
        while high < self.range.upperBound, self.segment.postingDocs[high] < target {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, self.range.upperBound)
        while low < high {
            let mid = (low + high) / 2
            if self.segment.postingDocs[mid] < target { low = mid + 1 } else { high = mid }
        }
        self.index = low
        return self.settle()
    }

    /// Moves forward from `index` to the first posting that counts, and sets `doc`.
    private func settle() -> Int32 {
        let fieldCount = self.segment.fieldCount
        while self.index < self.range.upperBound {
            let doc = self.segment.postingDocs[self.index]
            if !self.reader.isDeleted(doc) {
                let base = self.index * fieldCount
                let frequency = self.scoring.pseudoFrequency(
                    frequency: { Float(self.segment.postingFrequencies[base + $0]) },
                    length: { Float(self.segment.fieldLength(doc: doc, field: $0)) }
                )
                if frequency > 0 {
                    self.currentFrequency = frequency
                    self.doc = doc
                    return doc
                }
            }
            self.index += 1
        }
        self.doc = Self.end
        return self.doc
    }

    func score() -> Float {
        self.scoring.score(idf: self.idf, pseudoFrequency: self.currentFrequency)
    }
}
