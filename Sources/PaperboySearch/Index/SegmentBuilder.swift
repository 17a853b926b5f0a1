/// Accumulates analysed documents in memory and freezes them into a ``Segment``.
///
/// Postings are appended to flat arrays as (term, document, frequencies) entries in document
/// order, and grouped by term with a counting sort when the segment is built: no per-term arrays
/// to grow while indexing.
struct SegmentBuilder {
    let fieldCount: Int
    private(set) var keys: [String] = []
    private var termOrdinals: [String: Int32] = [:]
    private var termNames: [String] = []
    /// Per term ordinal: the last document that used it, and that document's entry.
    private var lastDoc: [Int32] = []
    private var lastEntry: [Int32] = []
    /// Entries: term ordinal and document, and `fieldCount` frequencies each.
    private var entryTerms: [Int32] = []
    private var entryDocs: [Int32] = []
    private var entryFrequencies: [UInt16] = []
    private var fieldLengths: [UInt32] = []

    init(fieldCount: Int) {
        self.fieldCount = fieldCount
    }

    var documentCount: Int { self.keys.count }

    /// Starts a new document; its terms follow with ``addTerm(_:field:)``.
    mutating func startDocument(key: String) {
        self.keys.append(key)
        self.fieldLengths.append(contentsOf: repeatElement(0, count: self.fieldCount))
    }

    /// Adds one occurrence of `term` in `field` of the current document; a synonym (an extra form
    /// at the same position) does not lengthen the field.
    mutating func addTerm(_ term: String, field: Int, isSynonym: Bool = false) {
        let doc = Int32(self.keys.count - 1)
        let ordinal = Int(self.ordinal(of: term))
        if !isSynonym { self.fieldLengths[Int(doc) * self.fieldCount + field] += 1 }
        if self.lastDoc[ordinal] != doc {
            self.lastDoc[ordinal] = doc
            self.lastEntry[ordinal] = Int32(self.entryDocs.count)
            self.entryTerms.append(Int32(ordinal))
            self.entryDocs.append(doc)
            self.entryFrequencies.append(contentsOf: repeatElement(0, count: self.fieldCount))
        }
        let slot = Int(self.lastEntry[ordinal]) * self.fieldCount + field
        if self.entryFrequencies[slot] < UInt16.max { self.entryFrequencies[slot] += 1 }
    }

    /// Registers a document with known field lengths (used by merges, which add postings after).
    mutating func addDocument(key: String, lengths: ArraySlice<UInt32>) -> Int32 {
        self.keys.append(key)
        self.fieldLengths.append(contentsOf: lengths)
        return Int32(self.keys.count - 1)
    }

    /// Adds a posting taken whole from another segment (used by merges).
    mutating func addPosting(term: String, doc: Int32, frequencies: ArraySlice<UInt16>) {
        let ordinal = self.ordinal(of: term)
        self.entryTerms.append(ordinal)
        self.entryDocs.append(doc)
        self.entryFrequencies.append(contentsOf: frequencies)
    }

    private mutating func ordinal(of term: String) -> Int32 {
        if let ordinal = self.termOrdinals[term] { return ordinal }
        let ordinal = Int32(self.termNames.count)
        self.termOrdinals[term] = ordinal
        self.termNames.append(term)
        self.lastDoc.append(-1)
        self.lastEntry.append(-1)
        return ordinal
    }

    /// The segment: terms sorted, each term's postings in document order.
    func build() -> Segment {
        let termCount = self.termNames.count
        let sortedOrdinals = (0..<termCount).sorted { self.termNames[$0] < self.termNames[$1] }
        // Rank of each ordinal in sorted order, then a counting sort of the entries by rank.
        var rank = [Int32](repeating: 0, count: termCount)
        for (position, ordinal) in sortedOrdinals.enumerated() { rank[ordinal] = Int32(position) }
        var starts = [Int](repeating: 0, count: termCount + 1)
        for term in self.entryTerms { starts[Int(rank[Int(term)]) + 1] += 1 }
        for index in 0..<termCount { starts[index + 1] += starts[index] }
        var next = starts
        let total = self.entryDocs.count
        var docs = [Int32](repeating: 0, count: total)
        var frequencies = [UInt16](repeating: 0, count: total * self.fieldCount)
        let fieldCount = self.fieldCount
        for entry in 0..<total {
            let position = next[Int(rank[Int(self.entryTerms[entry])])]
            next[Int(rank[Int(self.entryTerms[entry])])] += 1
            docs[position] = self.entryDocs[entry]
            for field in 0..<fieldCount {
                frequencies[position * fieldCount + field] = self.entryFrequencies[entry * fieldCount + field]
            }
        }
        // Entries arrive in document order when indexing; merges may not keep it, so check.
        for term in 0..<termCount where !Self.isAscending(docs[starts[term]..<starts[term + 1]]) {
            Self.sortPostings(&docs, &frequencies, range: starts[term]..<starts[term + 1], fieldCount: fieldCount)
        }
        return Segment(
            fieldCount: self.fieldCount,
            keys: self.keys,
            terms: sortedOrdinals.map { self.termNames[$0] },
            postingStarts: starts,
            postingDocs: docs,
            postingFrequencies: frequencies,
            fieldLengths: self.fieldLengths
        )
    }

    private static func isAscending(_ docs: ArraySlice<Int32>) -> Bool {
        zip(docs, docs.dropFirst()).allSatisfy { $0 < $1 }
    }

    private static func sortPostings(
        _ docs: inout [Int32], _ frequencies: inout [UInt16], range: Range<Int>, fieldCount: Int
    ) {
        let order = range.sorted { docs[$0] < docs[$1] }
        let sortedDocs = order.map { docs[$0] }
        let sortedFrequencies = order.flatMap { frequencies[($0 * fieldCount)..<(($0 + 1) * fieldCount)] }
        docs.replaceSubrange(range, with: sortedDocs)
        frequencies.replaceSubrange(
            (range.lowerBound * fieldCount)..<(range.upperBound * fieldCount), with: sortedFrequencies)
    }
}
