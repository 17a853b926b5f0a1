/// Writes a segment file: terms arrive in byte order with their postings; documents' keys,
/// norms and numeric values arrive at the end. See ``SegmentFormat`` for the layout.
struct SegmentSerializer {
    let textFieldCount: Int
    /// `w_f / (1 − b_f + b_f · len / avglen_f)` per field and norm code, with this segment's averages.
    private let normFactors: [Float]
    private var postings = ByteWriter(capacity: 1 << 20)
    private var positions = ByteWriter(capacity: 1 << 20)
    private var dictionary = ByteWriter(capacity: 1 << 18)
    private var blockStarts: [UInt64] = []
    private var blockFirstTerms = ByteWriter()
    private var blockFirstTermOffsets: [UInt32] = [0]
    private var termCount = 0
    private var previousTerm: [UInt8] = []
    private var previousPostingsOffset = 0
    private var previousPositionsOffset = 0
    // Scratch for one block.
    private var deltas = [UInt32](repeating: 0, count: SegmentFormat.blockSize)
    private var column = [UInt32](repeating: 0, count: SegmentFormat.blockSize)

    /// Creates a serializer for a segment whose text fields have these total lengths over
    /// `documentCount` documents.
    init(schema: IndexSchema, fieldLengthSums: [UInt64], documentCount: Int) {
        self.textFieldCount = schema.fields.count
        let averages = fieldLengthSums.map { documentCount > 0 ? Float($0) / Float(documentCount) : 1 }
        self.normFactors = BM25F(schema: schema, averageLengths: averages).normFactors()
    }

    /// The postings of one term: documents ascending; for a text term, `textFieldCount`
    /// frequencies per document and, per document and field, that many positions.
    struct TermPostings {
        var docs: [UInt32] = []
        var frequencies: [UInt32] = []
        var positions: [UInt32] = []

        mutating func removeAll() {
            self.docs.removeAll(keepingCapacity: true)
            self.frequencies.removeAll(keepingCapacity: true)
            self.positions.removeAll(keepingCapacity: true)
        }
    }

    /// Adds a term; terms must come in increasing byte order. `norms` are the new segment's norm
    /// codes (document-major), used for the blocks' score bounds.
    mutating func addTerm(_ term: [UInt8], _ postings: TermPostings, norms: [UInt8]) {
        precondition(!postings.docs.isEmpty)
        let isText = term.withUnsafeBufferPointer { SegmentFormat.isText($0) }
        let fieldCount = isText ? self.textFieldCount : 0
        let postingsStart = self.postings.count
        let positionsStart = self.positions.count
        let docCount = postings.docs.count
        let blockCount = (docCount + SegmentFormat.blockSize - 1) / SegmentFormat.blockSize

        // Encode the blocks (and positions) first, then the skip table in front of them.
        var blocks = ByteWriter(capacity: docCount * 2)
        var skip = ByteWriter(capacity: blockCount > 1 ? blockCount * SegmentFormat.skipEntrySize : 0)
        var previousDoc: Int64 = -1
        var positionCursor = 0
        for block in 0..<blockCount {
            let lower = block * SegmentFormat.blockSize
            let upper = min(docCount, lower + SegmentFormat.blockSize)
            let count = upper - lower
            let blockOffset = blocks.count
            let blockPositions = self.positions.count - positionsStart
            for index in lower..<upper {
                self.deltas[index - lower] = UInt32(Int64(postings.docs[index]) - previousDoc)
                previousDoc = Int64(postings.docs[index])
            }
            let deltaWidth = self.deltas.withUnsafeBufferPointer {
                BitPacking.width(of: UnsafeBufferPointer(rebasing: $0[0..<count]))
            }
            blocks.append(UInt8(deltaWidth))
            var widths: [Int] = []
            var maxPseudoFrequency: Float = 0
            if fieldCount > 0 {
                for index in lower..<upper {
                    let normBase = Int(postings.docs[index]) * fieldCount
                    var tf: Float = 0
                    for field in 0..<fieldCount {
                        let frequency = postings.frequencies[index * fieldCount + field]
                        if frequency > 0 {
                            tf += Float(frequency) * self.normFactors[field * 256 + Int(norms[normBase + field])]
                        }
                    }
                    maxPseudoFrequency = max(maxPseudoFrequency, tf)
                }
            }
            for field in 0..<fieldCount {
                for index in lower..<upper {
                    let frequency = postings.frequencies[index * fieldCount + field]
                    self.column[index - lower] = frequency
                }
                let width = self.column.withUnsafeBufferPointer {
                    BitPacking.width(of: UnsafeBufferPointer(rebasing: $0[0..<count]))
                }
                widths.append(width)
                blocks.append(UInt8(width))
            }
            self.deltas.withUnsafeBufferPointer {
                BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<count]), width: deltaWidth, into: &blocks)
            }
            for field in 0..<fieldCount {
                for index in lower..<upper {
                    self.column[index - lower] = postings.frequencies[index * fieldCount + field]
                }
                self.column.withUnsafeBufferPointer {
                    BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<count]), width: widths[field], into: &blocks)
                }
            }
            if isText {
                for index in lower..<upper {
                    for field in 0..<fieldCount {
                        let frequency = Int(postings.frequencies[index * fieldCount + field])
                        var previous: UInt32 = 0
                        for position in postings.positions[positionCursor..<(positionCursor + frequency)] {
                            self.positions.appendVarInt(UInt64(position - previous))
                            previous = position
                        }
                        positionCursor += frequency
                    }
                }
            }
            if blockCount > 1 {
                skip.appendUInt32(postings.docs[upper - 1])
                skip.appendUInt32(UInt32(blockOffset))
                skip.appendUInt32(UInt32(blockPositions))
                skip.appendUInt32(maxPseudoFrequency.bitPattern)
            }
        }
        self.postings.append(contentsOf: skip.bytes)
        self.postings.append(contentsOf: blocks.bytes)

        // The dictionary entry.
        if self.termCount % SegmentFormat.termsPerDictionaryBlock == 0 {
            self.blockStarts.append(UInt64(self.dictionary.count))
            self.blockFirstTerms.append(contentsOf: term)
            self.blockFirstTermOffsets.append(UInt32(self.blockFirstTerms.count))
            self.dictionary.appendVarInt(UInt64(term.count))
            self.dictionary.append(contentsOf: term)
            self.dictionary.appendVarInt(UInt64(docCount))
            self.dictionary.appendVarInt(UInt64(postingsStart))
            self.dictionary.appendVarInt(UInt64(positionsStart))
        } else {
            var shared = 0
            let limit = min(term.count, self.previousTerm.count)
            while shared < limit, term[shared] == self.previousTerm[shared] { shared += 1 }
            self.dictionary.appendVarInt(UInt64(shared))
            self.dictionary.appendVarInt(UInt64(term.count - shared))
            self.dictionary.append(contentsOf: term[shared...])
            self.dictionary.appendVarInt(UInt64(docCount))
            self.dictionary.appendVarInt(UInt64(postingsStart - self.previousPostingsOffset))
            self.dictionary.appendVarInt(UInt64(positionsStart - self.previousPositionsOffset))
        }
        self.previousTerm = term
        self.previousPostingsOffset = postingsStart
        self.previousPositionsOffset = positionsStart
        self.termCount += 1
    }

    /// The whole file.
    mutating func finish(
        keys: [String],
        norms: [UInt8],
        numerics: [[Int64?]],
        keywordFieldCount: Int,
        fieldLengthSums: [UInt64]
    ) -> [UInt8] {
        var file = ByteWriter(
            capacity: self.postings.count + self.positions.count + self.dictionary.count + norms.count + 1 << 16)
        var footer = SegmentFormat.Footer()
        file.append(contentsOf: SegmentFormat.magic)

        footer.keyOffsets = file.count
        var keyBytes = ByteWriter()
        file.appendUInt32(0)
        for key in keys {
            keyBytes.append(contentsOf: key.utf8)
            file.appendUInt32(UInt32(keyBytes.count))
        }
        footer.keyBytes = file.count
        file.append(contentsOf: keyBytes.bytes)
        file.pad(to: 8)

        footer.norms = file.count
        file.append(contentsOf: norms)
        file.pad(to: 8)

        footer.numerics = file.count
        for values in numerics {
            let present = values.compactMap { $0 }
            let minimum = present.min() ?? 0
            let shifted = values.map { $0.map { UInt32(clamping: $0 - minimum + 1) } ?? 0 }
            let width = shifted.withUnsafeBufferPointer { BitPacking.width(of: $0) }
            file.appendUInt64(UInt64(bitPattern: minimum))
            file.append(UInt8(width))
            file.pad(to: 8)
            shifted.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &file) }
            file.append(contentsOf: repeatElement(0, count: SegmentFormat.padding))
            file.pad(to: 8)
        }

        footer.postings = file.count
        file.append(contentsOf: self.postings.bytes)
        file.append(contentsOf: repeatElement(0, count: SegmentFormat.padding))
        file.pad(to: 8)
        footer.positions = file.count
        file.append(contentsOf: self.positions.bytes)
        file.append(contentsOf: repeatElement(0, count: SegmentFormat.padding))
        file.pad(to: 8)
        footer.dictionary = file.count
        file.append(contentsOf: self.dictionary.bytes)
        file.append(contentsOf: repeatElement(0, count: SegmentFormat.padding))
        file.pad(to: 8)
        footer.blockIndexOffsets = file.count
        for offset in self.blockFirstTermOffsets { file.appendUInt32(offset) }
        footer.blockIndexTerms = file.count
        file.append(contentsOf: self.blockFirstTerms.bytes)
        file.pad(to: 8)
        footer.blockStarts = file.count
        for start in self.blockStarts { file.appendUInt64(start) }

        footer.documentCount = keys.count
        footer.termCount = self.termCount
        footer.blockCount = self.blockStarts.count
        footer.textFieldCount = self.textFieldCount
        footer.keywordFieldCount = keywordFieldCount
        footer.numericFieldCount = numerics.count
        footer.fieldLengthSums = fieldLengthSums
        let footerStart = file.count
        footer.write(to: &file)
        let crc = file.bytes.withUnsafeBytes {
            SegmentFormat.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<file.count]))
        }
        file.appendUInt32(crc)
        file.appendUInt32(UInt32(file.count + 4 + SegmentFormat.endMagic.count - footerStart))
        file.append(contentsOf: SegmentFormat.endMagic)
        return file.bytes
    }
}
