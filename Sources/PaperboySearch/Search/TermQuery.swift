/// Documents that contain a text term in any of a set of fields, scored by ``BM25F``.
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
        let bytes = Array(self.term.utf8)
        let idf = BM25F.idf(
            documentFrequency: searcher.documentFrequency(bytes: bytes),
            documentCount: searcher.statisticsDocumentCount
        )
        return TermWeight(
            term: bytes,
            idf: idf,
            k1: searcher.scoring.k1,
            normFactors: searcher.scoring.normFactors(fields: self.fields),
            averageLengths: searcher.scoring.averageLengths
        )
    }
}

struct TermWeight: Weight {
    let term: [UInt8]
    let idf: Float
    let k1: Float
    let normFactors: [Float]
    /// The snapshot's average field lengths, against which segments' stored bounds are scaled.
    let averageLengths: [Float]

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        self.termScorer(reader)
    }

    func termScorer(_ reader: SegmentReader) -> TermScorer? {
        guard let info = reader.file.termInfo(self.term) else { return nil }
        // A segment's bounds used its own averages; longer averages now shorten norms by at most
        // their ratio, so scale the bounds by the largest ratio.
        var scale: Float = 1
        let count = Float(max(1, reader.file.documentCount))
        for (field, sum) in reader.file.fieldLengthSums.enumerated() where field < self.averageLengths.count {
            let segmentAverage = Float(sum) / count
            if segmentAverage > 0 { scale = max(scale, self.averageLengths[field] / segmentAverage) }
        }
        return TermScorer(
            reader: reader, info: info, idf: self.idf, k1: self.k1, normFactors: self.normFactors, boundScale: scale)
    }
}

/// Walks one term's postings in a segment, scoring each document by BM25F; skips deleted
/// documents and documents where the term is only in fields the query does not search. Knows
/// the upper bounds of its blocks' scores, for block-max pruning.
final class TermScorer: Scorer {
    let cursor: PostingsCursor
    private let reader: SegmentReader
    private let norms: UnsafePointer<UInt8>
    private let fieldCount: Int
    let idf: Float
    private let k1: Float
    /// The weight's norm factors, copied where the hot loop reads them without checks.
    private let normFactors: UnsafeMutablePointer<Float>
    /// The segment's deletions as raw words (kept alive by `deletionsOwner`).
    private let deletionWords: UnsafePointer<UInt64>?
    private let deletionsOwner: AnyObject?
    private(set) var doc: Int32 = -1
    private var frequency: Float = 0
    /// An upper bound of every score of the term in this segment.
    private(set) var maxScore: Float
    /// The block whose bound was asked last.
    private var boundBlock = -1
    private var boundValue: Float = 0

    /// Bounds are raised by this factor so that float rounding in sums can never make a bound
    /// fall below a score it bounds.
    static let boundSlack: Float = 1.0001

    /// How much a stored block bound must grow to bound scores under this snapshot's averages.
    private let boundScale: Float

    init(
        reader: SegmentReader, info: SegmentFile.TermInfo, idf: Float, k1: Float, normFactors: [Float],
        boundScale: Float
    ) {
        self.boundScale = boundScale
        self.reader = reader
        self.cursor = PostingsCursor(segment: reader.file, info: info, isText: true, budget: reader.budget)
        self.norms = reader.file.normsBase
        self.fieldCount = reader.file.textFieldCount
        self.idf = idf
        self.k1 = k1
        self.normFactors = .allocate(capacity: normFactors.count)
        self.normFactors.initialize(from: normFactors, count: normFactors.count)
        let words = reader.deletions?.unsafeWords
        self.deletionWords = words?.pointer
        self.deletionsOwner = words?.owner
        self.maxScore = 0
        self.maxScore = self.computeMaxScore()
    }

    deinit {
        self.normFactors.deallocate()
    }

    @inline(__always)
    private func isDeleted(_ doc: Int32) -> Bool {
        guard let words = self.deletionWords else { return false }
        return words[Int(doc) >> 6] & (1 << UInt64(Int(doc) & 63)) != 0
    }

    /// The segment-wide bound: the largest block bound, or for a one-block term the exact best score.
    private func computeMaxScore() -> Float {
        if self.cursor.blockCount == 1 {
            var best: Float = 0
            let fieldCount = self.fieldCount
            self.cursor.forEachPostingInBlock(0) { doc, frequencies, stride in
                var tf: Float = 0
                for field in 0..<fieldCount {
                    let frequency = frequencies[field * stride]
                    if frequency > 0 {
                        tf +=
                            Float(frequency)
                            * self.normFactors[field * 256 + Int(self.norms[Int(doc) * fieldCount + field])]
                    }
                }
                best = max(best, self.idf * tf / (self.k1 + tf))
            }
            return best * Self.boundSlack
        }
        var best: Float = 0
        for block in 0..<self.cursor.blockCount { best = max(best, self.bound(ofBlock: block)) }
        return best
    }

    /// An upper bound of the scores in block `block` (multi-block terms).
    private func bound(ofBlock block: Int) -> Float {
        let tf = self.cursor.maxPseudoFrequency(block: block) * self.boundScale
        return self.idf * tf / (self.k1 + tf) * Self.boundSlack
    }

    /// The first block whose last document is ≥ `target`, or `blockCount`; searched from the
    /// block last bounded or the cursor's, whichever is earlier (the cursor never goes back).
    private func firstBlock(endingAtOrAfter target: Int32) -> Int {
        self.cursor.block(containing: target, from: max(0, min(self.boundBlock, self.cursor.block)))
    }

    /// The last document of the block holding `target` or the first document after it;
    /// `Int32.max` past the last block.
    func blockEnd(at target: Int32) -> Int32 {
        if self.cursor.blockCount == 1 {
            let last = self.cursor.lastDoc(ofBlock: 0)
            return target <= last ? last : Int32.max
        }
        let block = self.firstBlock(endingAtOrAfter: target)
        return block < self.cursor.blockCount ? self.cursor.lastDoc(ofBlock: block) : Int32.max
    }

    /// An upper bound of the score of any document from `first` through `last`: the largest
    /// bound of the blocks that overlap the range.
    func bound(from first: Int32, through last: Int32) -> Float {
        if self.cursor.blockCount == 1 {
            return first <= self.cursor.lastDoc(ofBlock: 0) ? self.maxScore : 0
        }
        var block = self.firstBlock(endingAtOrAfter: first)
        var best: Float = 0
        while block < self.cursor.blockCount {
            if block != self.boundBlock {
                self.boundBlock = block
                self.boundValue = self.bound(ofBlock: block)
            }
            best = max(best, self.boundValue)
            // The next block starts after this one's last document.
            if self.cursor.lastDoc(ofBlock: block) >= last { break }
            block += 1
        }
        return best
    }

    func advance() -> Int32 {
        self.settle(self.cursor.advance())
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        return self.settle(self.cursor.seek(target))
    }

    /// From the cursor's document on, the first one that counts; sets `doc`.
    @inline(__always)
    private func settle(_ first: Int32) -> Int32 {
        var doc = first
        let fieldCount = self.fieldCount
        while doc != Int32.max {
            if !self.isDeleted(doc) {
                var tf: Float = 0
                let normBase = Int(doc) * fieldCount
                for field in 0..<fieldCount {
                    let frequency = self.cursor.frequency(field: field)
                    if frequency > 0 {
                        tf += Float(frequency) * self.normFactors[field * 256 + Int(self.norms[normBase + field])]
                    }
                }
                if tf > 0 {
                    self.frequency = tf
                    self.doc = doc
                    return doc
                }
            }
            doc = self.cursor.advance()
        }
        self.doc = Int32.max
        return self.doc
    }

    @inline(__always)
    func score() -> Float {
        self.idf * self.frequency / (self.k1 + self.frequency)
    }
}
