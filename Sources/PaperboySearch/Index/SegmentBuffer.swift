/// The documents added since the last flush, analysed and inverted in memory: one postings
/// stream per term in a ``ByteSlicePool``, terms and words in ``ByteTable``s. Flushing writes
/// them out as one segment file.
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
    private var streams: [ByteSlicePool.Stream] = []
    private var lastDoc: [Int32] = []
    private var pool = ByteSlicePool()
    private var documentTokens: [UInt64] = []
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
            self.streams.append(ByteSlicePool.Stream())
            self.lastDoc.append(-1)
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
        self.documentTokens.removeAll(keepingCapacity: true)
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
                guard ordinal >= 0, word.position < 1 << 24 else { return }
                self.documentTokens.append(UInt64(ordinal) << 32 | UInt64(field) << 24 | UInt64(word.position))
            }
            self.norms.append(FieldNorm.code(for: length))
            self.fieldLengthSums[field] += UInt64(length)
        }
        self.invertTextTokens(doc)
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

    /// Writes the document's text postings: per term, the document delta, a frequency per field,
    /// then per field its positions as deltas.
    private mutating func invertTextTokens(_ doc: Int32) {
        self.documentTokens.sort()
        let fieldCount = self.schema.fields.count
        var index = 0
        var frequencies = [UInt32](repeating: 0, count: fieldCount)
        while index < self.documentTokens.count {
            let ordinal = Int(self.documentTokens[index] >> 32)
            var end = index
            for field in 0..<fieldCount { frequencies[field] = 0 }
            while end < self.documentTokens.count, Int(self.documentTokens[end] >> 32) == ordinal {
                frequencies[Int((self.documentTokens[end] >> 24) & 0xFF)] += 1
                end += 1
            }
            var stream = self.streams[ordinal]
            self.pool.appendVarInt(UInt32(doc - self.lastDoc[ordinal]), to: &stream)
            self.lastDoc[ordinal] = doc
            for field in 0..<fieldCount { self.pool.appendVarInt(frequencies[field], to: &stream) }
            var previousField = -1
            var previousPosition: UInt32 = 0
            for token in self.documentTokens[index..<end] {
                let field = Int((token >> 24) & 0xFF)
                let position = UInt32(token & 0xFF_FFFF)
                if field != previousField {
                    previousField = field
                    previousPosition = 0
                }
                self.pool.appendVarInt(position - previousPosition, to: &stream)
                previousPosition = position
            }
            self.streams[ordinal] = stream
            index = end
        }
    }

    private mutating func addDocOnly(_ term: [UInt8], _ doc: Int32) {
        let ordinal = Int(term.withUnsafeBufferPointer { self.ordinal(ofTerm: $0) })
        guard self.lastDoc[ordinal] != doc else { return }
        var stream = self.streams[ordinal]
        self.pool.appendVarInt(UInt32(doc - self.lastDoc[ordinal]), to: &stream)
        self.lastDoc[ordinal] = doc
        self.streams[ordinal] = stream
    }

    /// The segment file's bytes.
    func serialize() -> [UInt8] {
        let fieldCount = self.schema.fields.count
        var serializer = SegmentSerializer(textFieldCount: fieldCount)
        let order = (0..<self.terms.count).sorted {
            self.terms.key(at: $0).lexicographicallyPrecedes(self.terms.key(at: $1))
        }
        var postings = SegmentSerializer.TermPostings()
        self.pool.arena.withUnsafeBufferPointer { arena in
            for ordinal in order {
                let term = Array(self.terms.key(at: ordinal))
                let isText = term.withUnsafeBufferPointer { SegmentFormat.isText($0) }
                postings.removeAll()
                var reader = ByteSlicePool.Reader(arena: arena, stream: self.streams[ordinal])
                var doc: Int64 = -1
                while !reader.isAtEnd {
                    doc += Int64(reader.varInt())
                    postings.docs.append(UInt32(doc))
                    guard isText else { continue }
                    for _ in 0..<fieldCount { postings.frequencies.append(reader.varInt()) }
                    let base = postings.frequencies.count - fieldCount
                    for field in 0..<fieldCount {
                        var position: UInt32 = 0
                        for _ in 0..<postings.frequencies[base + field] {
                            position += reader.varInt()
                            postings.positions.append(position)
                        }
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
