import CZlib

/// The layout of a segment file. All integers are little-endian.
///
/// ```text
/// "PBSEG001"
/// keys:        (documents + 1) × UInt32 offsets, then the UTF-8 bytes of each document's key
/// norms:       documents × text fields bytes, FieldNorm codes, document-major
/// numerics:    per numeric field: Int64 minimum, UInt8 bit width, padding to 8, then documents
///              values of (value − minimum + 1) bit-packed, 0 meaning "no value"
/// postings:    per term: a skip table when it has more than one block, then its blocks
/// positions:   per text-term posting, per field with a frequency, that many position deltas (varints)
/// dictionary:  blocks of 32 terms, prefix-compressed, each term followed by its document
///              frequency and the deltas of its postings and positions offsets (varints)
/// block index: per dictionary block, its offset and its first term (offsets, then bytes)
/// footer:      section offsets, counts, per-field length sums, CRC-32 of all before it,
///              footer length, "PBSEGEND"
/// ```
///
/// A postings block holds up to 128 documents: a header (bit width of the document deltas, then
/// per text field the bit width of its frequencies), the deltas bit-packed, then each field's
/// frequencies bit-packed. A skip-table entry per block gives its last document, its offset and
/// positions offset (relative to the term's), and the block's largest BM25F pseudo-frequency
/// `tf~` computed with the segment's own average field lengths: scaled by how much longer the
/// collection's averages are at query time, an upper bound of the block's scores (block-max pruning).
enum SegmentFormat {
    static let magic: [UInt8] = Array("PBSEG001".utf8)
    static let endMagic: [UInt8] = Array("PBSEGEND".utf8)
    static let blockSize = 128
    static let termsPerDictionaryBlock = 32
    /// Bytes after the last block of a section, so bit unpacking may read a word past the end.
    static let padding = 8

    /// Term namespaces: text terms are plain words; keyword terms and document keys start with
    /// a byte no word starts with.
    static let keywordPrefix: UInt8 = 0x01
    static let keyPrefix: UInt8 = 0x02

    static func keywordTerm(field: Int, value: String) -> [UInt8] {
        [Self.keywordPrefix, UInt8(field)] + Array(value.lowercased().utf8)
    }

    static func keyTerm(_ key: String) -> [UInt8] {
        [Self.keyPrefix] + Array(key.utf8)
    }

    static func isText(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = term.first else { return true }
        return first > Self.keyPrefix
    }

    static let skipEntrySize = 16

    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        var crc: UInt = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let chunk = min(1 << 30, bytes.count - offset)
            crc = CZlib.crc32(crc, base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The footer: where the sections are, and the counts a reader needs first.
    struct Footer {
        var keyOffsets = 0
        var keyBytes = 0
        var norms = 0
        var numerics = 0
        var postings = 0
        var positions = 0
        var dictionary = 0
        var blockIndexOffsets = 0
        var blockIndexTerms = 0
        var blockStarts = 0
        var documentCount = 0
        var termCount = 0
        var blockCount = 0
        var textFieldCount = 0
        var keywordFieldCount = 0
        var numericFieldCount = 0
        var fieldLengthSums: [UInt64] = []

        func write(to writer: inout ByteWriter) {
            for value in [
                self.keyOffsets, self.keyBytes, self.norms, self.numerics, self.postings, self.positions,
                self.dictionary, self.blockIndexOffsets, self.blockIndexTerms, self.blockStarts, self.documentCount,
                self.termCount, self.blockCount,
            ] {
                writer.appendUInt64(UInt64(value))
            }
            writer.append(UInt8(self.textFieldCount))
            writer.append(UInt8(self.keywordFieldCount))
            writer.append(UInt8(self.numericFieldCount))
            writer.pad(to: 8)
            for sum in self.fieldLengthSums { writer.appendUInt64(sum) }
        }

        static func read(_ reader: inout ByteReader) -> Footer {
            var footer = Footer()
            footer.keyOffsets = Int(reader.uint64())
            footer.keyBytes = Int(reader.uint64())
            footer.norms = Int(reader.uint64())
            footer.numerics = Int(reader.uint64())
            footer.postings = Int(reader.uint64())
            footer.positions = Int(reader.uint64())
            footer.dictionary = Int(reader.uint64())
            footer.blockIndexOffsets = Int(reader.uint64())
            footer.blockIndexTerms = Int(reader.uint64())
            footer.blockStarts = Int(reader.uint64())
            footer.documentCount = Int(reader.uint64())
            footer.termCount = Int(reader.uint64())
            footer.blockCount = Int(reader.uint64())
            footer.textFieldCount = Int(reader.byte())
            footer.keywordFieldCount = Int(reader.byte())
            footer.numericFieldCount = Int(reader.byte())
            reader.offset += 5
            footer.fieldLengthSums = (0..<footer.textFieldCount).map { _ in reader.uint64() }
            return footer
        }
    }
}
