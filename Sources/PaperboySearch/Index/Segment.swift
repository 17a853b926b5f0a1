/// An immutable batch of indexed documents: a term dictionary, postings with per-field term
/// frequencies, per-field lengths (the norms of BM25F) and the documents' keys.
///
/// Documents are numbered 0..<``documentCount`` within the segment. Postings are stored flat:
/// the postings of term `t` are entries `postingStarts[t]..<postingStarts[t + 1]`, each a document
/// number and one frequency per field.
public final class Segment: Sendable {
    /// The number of fields of each document.
    public let fieldCount: Int
    /// The documents' keys, by document number.
    public let keys: [String]
    /// Sorted terms.
    let terms: [String]
    /// Term → its ordinal in ``terms``.
    let termOrdinals: [String: Int32]
    let postingStarts: [Int]
    let postingDocs: [Int32]
    /// `fieldCount` frequencies per posting, saturating at `UInt16.max`.
    let postingFrequencies: [UInt16]
    /// `fieldCount` lengths (in tokens) per document.
    let fieldLengths: [UInt32]
    /// The sum of each field's lengths over the segment's documents.
    public let fieldLengthSums: [Int]

    init(
        fieldCount: Int,
        keys: [String],
        terms: [String],
        postingStarts: [Int],
        postingDocs: [Int32],
        postingFrequencies: [UInt16],
        fieldLengths: [UInt32]
    ) {
        self.fieldCount = fieldCount
        self.keys = keys
        self.terms = terms
        var ordinals: [String: Int32] = [:]
        ordinals.reserveCapacity(terms.count)
        for (ordinal, term) in terms.enumerated() { ordinals[term] = Int32(ordinal) }
        self.termOrdinals = ordinals
        self.postingStarts = postingStarts
        self.postingDocs = postingDocs
        self.postingFrequencies = postingFrequencies
        self.fieldLengths = fieldLengths
        var sums = Array(repeating: 0, count: fieldCount)
        for (index, length) in fieldLengths.enumerated() { sums[index % fieldCount] += Int(length) }
        self.fieldLengthSums = sums
    }

    /// How many documents the segment holds, deleted ones included.
    public var documentCount: Int { self.keys.count }

    /// How many distinct terms the segment holds.
    public var termCount: Int { self.terms.count }

    /// How many documents contain `term` in any field.
    public func documentFrequency(_ term: String) -> Int {
        guard let ordinal = self.termOrdinals[term] else { return 0 }
        return self.postingStarts[Int(ordinal) + 1] - self.postingStarts[Int(ordinal)]
    }

    /// The range of posting entries of `term`, or `nil` if the segment lacks it.
    func postingRange(_ term: String) -> Range<Int>? {
        guard let ordinal = self.termOrdinals[term] else { return nil }
        return self.postingStarts[Int(ordinal)]..<self.postingStarts[Int(ordinal) + 1]
    }

    /// The length of `field` in document `doc`.
    @inline(__always)
    func fieldLength(doc: Int32, field: Int) -> UInt32 {
        self.fieldLengths[Int(doc) * self.fieldCount + field]
    }

    /// Approximate bytes held, for reports.
    public var byteCount: Int {
        self.postingDocs.count * 4 + self.postingFrequencies.count * 2 + self.fieldLengths.count * 4
            + self.postingStarts.count * 8 + self.terms.reduce(0) { $0 + $1.utf8.count + 16 }
            + self.keys.reduce(0) { $0 + $1.utf8.count + 16 }
    }
}

/// A segment as one snapshot sees it: the segment and the documents deleted from it so far.
public struct SegmentReader: Sendable {
    /// The segment.
    public let segment: Segment
    /// Deleted documents, or `nil` when there are none.
    public let deletions: BitSet?
    /// The segment's position in its snapshot.
    public let ordinal: Int

    /// How many documents are not deleted.
    public var liveCount: Int { self.segment.documentCount - (self.deletions?.count ?? 0) }

    @inline(__always)
    func isDeleted(_ doc: Int32) -> Bool {
        self.deletions?.contains(Int(doc)) ?? false
    }
}
