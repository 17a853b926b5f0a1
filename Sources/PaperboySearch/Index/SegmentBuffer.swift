import Foundation

/// The documents added since the last flush, analysed and inverted in memory: one postings
/// stream per term in a ``ByteSlicePool``, terms and words in ``ByteTable``s. Flushing writes
/// them out as one segment file.
///
/// A text term's stream holds, per document: the document delta, then one varint per occurrence,
/// `(positionDelta << 3 | field) + 1` (the position delta restarting at each field), then 0. Each
/// occurrence is written as its token arrives; nothing is sorted per document.
struct SegmentBuffer {
    let schema: IndexSchema
    let analyzer: any Analyzer
    private(set) var keys: [String] = []
    private var norms: [UInt8] = []
    private var numerics: [[Int64?]]
    private var fieldLengthSums: [UInt64]
    /// Surface word → term ordinal (-1 for a word that is not indexed).
    private var words = ByteTable()
    /// Term bytes → ordinal.
    private var terms = ByteTable()
    /// Per term ordinal: its stream and last occurrence.
    private var termStates = TermStates()
    private var pool = ByteSlicePool()
    /// Text terms seen in the current document.
    private var touched: [Int32] = []
    /// Buffered keys → document number, for replacing and deleting before a flush.
    private var documentsByKey: [String: Int32] = [:]

    init(schema: IndexSchema, analyzer: any Analyzer) {
        self.schema = schema
        self.analyzer = analyzer
        self.numerics = Array(repeating: [], count: schema.numericFields.count)
        self.fieldLengthSums = Array(repeating: 0, count: schema.fields.count)
    }

    var documentCount: Int { self.keys.count }

    /// Approximate bytes held, to decide when to flush.
    var byteCount: Int { self.pool.byteCount + self.keys.count * 64 + self.terms.count * 48 }

    /// The buffered document with `key`, if any.
    func document(forKey key: String) -> Int32? {
        self.documentsByKey[key]
    }

    private mutating func ordinal(ofTerm term: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (index, inserted) = self.terms.findOrInsert(term, value: 0)
        if inserted {
            self.termStates.append()
        }
        return Int32(index)
    }

    /// Adds a document; returns its number in the buffer.
    @discardableResult
    mutating func add(_ document: Document) -> Int32 {
        precondition(
            document.fields.count == self.schema.fields.count, "document \(document.key): wrong number of text fields")
        let doc = Int32(self.keys.count)
        self.keys.append(document.key)
        self.documentsByKey[document.key] = doc
        self.touched.removeAll(keepingCapacity: true)
        for (field, text) in document.fields.enumerated() {
            var length: UInt32 = 0
            self.analyzer.words(in: text) { word in
                if !word.isSynonym { length += 1 }
                let ordinal: Int32
                if let index = self.words.find(word.bytes) {
                    ordinal = self.words.values[index]
                } else {
                    if let term = self.analyzer.term(for: word.bytes) {
                        var bytes = Array(term.utf8)
                        ordinal = bytes.withUnsafeMutableBufferPointer { self.ordinal(ofTerm: UnsafeBufferPointer($0)) }
                    } else {
                        ordinal = -1
                    }
                    _ = self.words.findOrInsert(word.bytes, value: ordinal)
                }
                guard ordinal >= 0 else { return }
                self.addOccurrence(Int(ordinal), doc: doc, field: field, position: UInt32(word.position))
            }
            self.norms.append(FieldNorm.code(for: length))
            self.fieldLengthSums[field] += UInt64(length)
        }
        for ordinal in self.touched {
            self.pool.append(0, to: &self.termStates[Int(ordinal)].stream)
        }
        for (field, values) in document.keywords.enumerated() where field < self.schema.keywordFields.count {
            for value in values {
                self.addDocOnly(SegmentFormat.keywordTerm(field: field, value: value), doc)
            }
        }
        for field in 0..<self.schema.numericFields.count {
            self.numerics[field].append(field < document.numbers.count ? document.numbers[field] : nil)
        }
        self.addDocOnly(SegmentFormat.keyTerm(document.key), doc)
        return doc
    }

    /// Writes one occurrence of a text term into its stream, opening the document's entry first.
    @inline(__always)
    private mutating func addOccurrence(_ ordinal: Int, doc: Int32, field: Int, position: UInt32) {
        let states = self.termStates.states
        if states[ordinal].lastDoc != doc {
            self.pool.appendVarInt(UInt32(doc - states[ordinal].lastDoc), to: &states[ordinal].stream)
            states[ordinal].lastDoc = doc
            states[ordinal].lastField = UInt8(field)
            states[ordinal].lastPosition = 0
            self.touched.append(Int32(ordinal))
        } else if Int(states[ordinal].lastField) != field {
            states[ordinal].lastField = UInt8(field)
            states[ordinal].lastPosition = 0
        }
        let delta = position &- states[ordinal].lastPosition
        states[ordinal].lastPosition = position
        self.pool.appendVarInt((delta << 3 | UInt32(field)) &+ 1, to: &states[ordinal].stream)
    }

    private mutating func addDocOnly(_ term: [UInt8], _ doc: Int32) {
        let ordinal = Int(term.withUnsafeBufferPointer { self.ordinal(ofTerm: $0) })
        let states = self.termStates.states
        guard states[ordinal].lastDoc != doc else { return }
        self.pool.appendVarInt(UInt32(doc - states[ordinal].lastDoc), to: &states[ordinal].stream)
        states[ordinal].lastDoc = doc
    }

    /// The segment file's bytes.
    func serialize() -> [UInt8] {
        let fieldCount = self.schema.fields.count
        var serializer = SegmentSerializer(
            schema: self.schema, fieldLengthSums: self.fieldLengthSums, documentCount: self.keys.count)
        let order = (0..<self.terms.count).sorted {
            self.terms.key(at: $0).lexicographicallyPrecedes(self.terms.key(at: $1))
        }
        var postings = SegmentSerializer.TermPostings()
        do {
            let arena = self.pool.contents
            for ordinal in order {
                let term = Array(self.terms.keyBuffer(at: ordinal))
                let isText = term.withUnsafeBufferPointer { SegmentFormat.isText($0) }
                postings.removeAll()
                var reader = ByteSlicePool.Reader(arena: arena, stream: self.termStates[ordinal].stream)
                var doc: Int64 = -1
                while !reader.isAtEnd {
                    doc += Int64(reader.varInt())
                    postings.docs.append(UInt32(doc))
                    guard isText else { continue }
                    // Occurrences come field by field, positions rising: count them per field.
                    let base = postings.frequencies.count
                    postings.frequencies.append(contentsOf: repeatElement(0, count: fieldCount))
                    var position: UInt32 = 0
                    var currentField = -1
                    while true {
                        let code = reader.varInt()
                        if code == 0 { break }
                        let field = Int((code - 1) & 7)
                        if field != currentField {
                            currentField = field
                            position = 0
                        }
                        position &+= (code - 1) >> 3
                        postings.frequencies[base + field] += 1
                        postings.positions.append(position)
                    }
                }
                serializer.addTerm(term, postings, norms: self.norms)
            }
        }
        return serializer.finish(
            keys: self.keys,
            norms: self.norms,
            numerics: self.numerics,
            keywordFieldCount: self.schema.keywordFields.count,
            fieldLengthSums: self.fieldLengthSums
        )
    }
}
