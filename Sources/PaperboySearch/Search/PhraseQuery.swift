/// Documents where the terms stand next to each other, in order, within one field; scored by
/// BM25F with the phrase's frequency per field and the sum of its terms' idf (as Lucene scores
/// phrases).
public struct PhraseQuery: Query {
    /// The analysed terms, in order, with their positions relative to the first (stop words
    /// leave gaps).
    public let terms: [String]
    /// Each term's offset from the first.
    public let offsets: [Int]
    /// The fields searched; `nil` means all.
    public let fields: [Int]?

    /// Creates the query.
    public init(terms: [String], offsets: [Int], fields: [Int]? = nil) {
        precondition(terms.count == offsets.count && !terms.isEmpty)
        self.terms = terms
        self.offsets = offsets
        self.fields = fields
    }

    public var description: String { "\"" + self.terms.joined(separator: " ") + "\"" }

    public func weight(_ searcher: Searcher) -> any Weight {
        let bytes = self.terms.map { Array($0.utf8) }
        let idf = bytes.reduce(Float(0)) {
            $0
                + BM25F.idf(
                    documentFrequency: searcher.documentFrequency(bytes: $1),
                    documentCount: searcher.statisticsDocumentCount)
        }
        return PhraseWeight(
            terms: bytes, offsets: self.offsets, idf: idf, k1: searcher.scoring.k1,
            normFactors: searcher.scoring.normFactors(fields: self.fields), fieldCount: searcher.schema.fields.count
        )
    }
}

struct PhraseWeight: Weight {
    let terms: [[UInt8]]
    let offsets: [Int]
    let idf: Float
    let k1: Float
    let normFactors: [Float]
    let fieldCount: Int

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        var cursors: [PostingsCursor] = []
        for term in self.terms {
            guard let info = reader.file.termInfo(term) else { return nil }
            cursors.append(PostingsCursor(segment: reader.file, info: info, isText: true, budget: reader.budget))
        }
        return PhraseScorer(
            reader: reader, cursors: cursors, offsets: self.offsets, idf: self.idf, k1: self.k1,
            normFactors: self.normFactors)
    }
}

/// Leapfrogs the terms' postings, then checks positions field by field.
final class PhraseScorer: Scorer {
    private let reader: SegmentReader
    private let cursors: [PostingsCursor]
    private let offsets: [Int]
    private let idf: Float
    private let k1: Float
    private let normFactors: [Float]
    private let fieldCount: Int
    private(set) var doc: Int32 = -1
    private var frequency: Float = 0
    let maxScore: Float

    init(reader: SegmentReader, cursors: [PostingsCursor], offsets: [Int], idf: Float, k1: Float, normFactors: [Float])
    {
        self.reader = reader
        self.cursors = cursors
        self.offsets = offsets
        self.idf = idf
        self.k1 = k1
        self.normFactors = normFactors
        self.fieldCount = reader.file.textFieldCount
        // tf~ / (k1 + tf~) < 1, so idf bounds every score.
        self.maxScore = idf * TermScorer.boundSlack
    }

    func advance() -> Int32 { self.align(self.cursors[0].advance()) }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        return self.align(self.cursors[0].seek(target))
    }

    private func align(_ first: Int32) -> Int32 {
        var target = first
        while target != Int32.max {
            var index = 1
            var agreed = true
            while index < self.cursors.count {
                let doc = self.cursors[index].seek(target)
                if doc != target {
                    target = self.cursors[0].seek(doc)
                    agreed = false
                    break
                }
                index += 1
            }
            guard agreed else { continue }
            if !self.reader.isDeleted(target), self.matchPositions(target) {
                self.doc = target
                return target
            }
            target = self.cursors[0].advance()
        }
        self.doc = Int32.max
        return self.doc
    }

    /// Counts the phrase in each field of `doc` and sets the BM25F frequency; false when absent.
    private func matchPositions(_ doc: Int32) -> Bool {
        var tf: Float = 0
        for field in 0..<self.fieldCount where self.normFactors[field * 256] > 0 {
            guard self.cursors.allSatisfy({ $0.frequency(field: field) > 0 }) else { continue }
            let lists = self.cursors.map { $0.positions(field: field) }
            let following = lists.dropFirst().map(Set.init)
            var count = 0
            for start in lists[0]
            where zip(following, self.offsets.dropFirst()).allSatisfy({ $0.contains(start + UInt32($1)) }) {
                count += 1
            }
            if count > 0 {
                let code = Int(self.reader.file.norm(doc, field: field))
                tf += Float(count) * self.normFactors[field * 256 + code]
            }
        }
        self.frequency = tf
        return tf > 0
    }

    func score() -> Float {
        self.idf * self.frequency / (self.k1 + self.frequency)
    }
}
