import Foundation

/// A segment file opened for reading: mapped into memory, its footer parsed, its term
/// dictionary searchable. Immutable and shared by every snapshot that includes the segment.
public final class SegmentFile: Sendable {
    /// The segment's name (its file name without extension).
    public let name: String
    let file: MappedFile
    let footer: SegmentFormat.Footer
    let numericMinimums: [Int64]
    let numericWidths: [Int]
    let numericOffsets: [Int]

    /// What the dictionary knows of a term.
    struct TermInfo {
        var documentFrequency: Int
        var postingsOffset: Int  // absolute in the file
        var positionsOffset: Int  // absolute in the file
    }

    /// Opens and checks a segment file.
    ///
    /// - Parameter verify: also check the CRC of the whole file.
    init(path: String, name: String, verify: Bool = true) throws(SearchError) {
        self.name = name
        self.file = try MappedFile(path: path)
        let count = self.file.count
        let base = self.file.base
        func corrupt(_ reason: String) -> SearchError {
            SearchError(.indexCorrupt, "index segment \(path) is damaged: \(reason)")
        }
        guard count > 32,
            SegmentFormat.magic.elementsEqual(UnsafeRawBufferPointer(start: base, count: 8)),
            SegmentFormat.endMagic.elementsEqual(UnsafeRawBufferPointer(start: base + count - 8, count: 8))
        else { throw corrupt("not a segment file (bad magic)") }
        var tail = ByteReader(base, offset: count - 16)
        let crc = tail.uint32()
        let footerLength = Int(tail.uint32())
        guard footerLength > 16, footerLength < count else { throw corrupt("bad footer length") }
        if verify {
            let actual = SegmentFormat.crc32(UnsafeRawBufferPointer(start: base, count: count - 16))
            guard actual == crc else { throw corrupt("checksum mismatch") }
        }
        var reader = ByteReader(base, offset: count - footerLength)
        self.footer = SegmentFormat.Footer.read(&reader)
        var minimums: [Int64] = []
        var widths: [Int] = []
        var offsets: [Int] = []
        var numeric = ByteReader(base, offset: self.footer.numerics)
        for _ in 0..<self.footer.numericFieldCount {
            minimums.append(Int64(bitPattern: numeric.uint64()))
            let width = Int(numeric.byte())
            widths.append(width)
            numeric.offset = (numeric.offset + 7) & ~7
            offsets.append(numeric.offset)
            numeric.offset +=
                BitPacking.byteCount(count: self.footer.documentCount, width: width) + SegmentFormat.padding
            numeric.offset = (numeric.offset + 7) & ~7
        }
        self.numericMinimums = minimums
        self.numericWidths = widths
        self.numericOffsets = offsets
    }

    /// Documents in the segment, deleted ones included.
    public var documentCount: Int { self.footer.documentCount }
    /// Distinct terms.
    public var termCount: Int { self.footer.termCount }
    /// Text fields per document.
    var textFieldCount: Int { self.footer.textFieldCount }
    /// Sum of each text field's lengths.
    var fieldLengthSums: [UInt64] { self.footer.fieldLengthSums }
    /// Bytes on disk.
    public var byteCount: Int { self.file.count }

    /// The key of a document.
    public func key(_ doc: Int32) -> String {
        var reader = ByteReader(self.file.base, offset: self.footer.keyOffsets + Int(doc) * 4)
        let start = Int(reader.uint32())
        let end = Int(reader.uint32())
        return String(
            decoding: UnsafeRawBufferPointer(start: self.file.base + self.footer.keyBytes + start, count: end - start),
            as: UTF8.self
        )
    }

    /// The norm code of a document's text field.
    @inline(__always)
    func norm(_ doc: Int32, field: Int) -> UInt8 {
        self.file.base.load(fromByteOffset: self.footer.norms + Int(doc) * self.textFieldCount + field, as: UInt8.self)
    }

    /// The pointer to the norms of all documents (document-major).
    var normsBase: UnsafePointer<UInt8> {
        (self.file.base + self.footer.norms).assumingMemoryBound(to: UInt8.self)
    }

    /// A document's value of a numeric field.
    public func number(_ doc: Int32, field: Int) -> Int64? {
        let width = self.numericWidths[field]
        guard width > 0 else { return nil }
        let bit = Int(doc) * width
        let word = UInt64(
            littleEndian: self.file.base.loadUnaligned(
                fromByteOffset: self.numericOffsets[field] + bit >> 3, as: UInt64.self))
        let mask: UInt64 = width >= 64 ? ~0 : (1 << UInt64(width)) - 1
        let stored = (word >> UInt64(bit & 7)) & mask
        return stored == 0 ? nil : self.numericMinimums[field] + Int64(stored) - 1
    }

    // MARK: Dictionary

    private func blockFirstTerm(_ block: Int) -> UnsafeRawBufferPointer {
        var reader = ByteReader(self.file.base, offset: self.footer.blockIndexOffsets + block * 4)
        let start = Int(reader.uint32())
        let end = Int(reader.uint32())
        return UnsafeRawBufferPointer(start: self.file.base + self.footer.blockIndexTerms + start, count: end - start)
    }

    private func blockStart(_ block: Int) -> Int {
        var reader = ByteReader(self.file.base, offset: self.footer.blockStarts + block * 8)
        return self.footer.dictionary + Int(reader.uint64())
    }

    /// The last dictionary block whose first term is ≤ `term`, or -1.
    private func block(for term: UnsafeRawBufferPointer) -> Int {
        var low = 0
        var high = self.footer.blockCount - 1
        var found = -1
        while low <= high {
            let middle = (low + high) / 2
            if Self.compare(self.blockFirstTerm(middle), term) <= 0 {
                found = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return found
    }

    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let result = memcmp(a.baseAddress!, b.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return a.count - b.count
    }

    /// Walks dictionary block `block`, calling `body` with each term and its info; `body`
    /// returns false to stop.
    private func scanBlock(_ block: Int, _ body: (UnsafeRawBufferPointer, TermInfo) -> Bool) -> Bool {
        var reader = ByteReader(self.file.base, offset: self.blockStart(block))
        let termsInBlock = min(
            SegmentFormat.termsPerDictionaryBlock, self.footer.termCount - block * SegmentFormat.termsPerDictionaryBlock
        )
        var term = [UInt8]()
        term.reserveCapacity(64)
        var postings = 0
        var positions = 0
        for index in 0..<termsInBlock {
            if index == 0 {
                let length = Int(reader.varInt())
                term = Array(UnsafeRawBufferPointer(start: self.file.base + reader.offset, count: length))
                reader.offset += length
                let documentFrequency = Int(reader.varInt())
                postings = Int(reader.varInt())
                positions = Int(reader.varInt())
                let info = TermInfo(
                    documentFrequency: documentFrequency, postingsOffset: self.footer.postings + postings,
                    positionsOffset: self.footer.positions + positions
                )
                let keepGoing = term.withUnsafeBytes { body($0, info) }
                if !keepGoing { return false }
            } else {
                let shared = Int(reader.varInt())
                let suffix = Int(reader.varInt())
                term.removeSubrange(shared...)
                term.append(contentsOf: UnsafeRawBufferPointer(start: self.file.base + reader.offset, count: suffix))
                reader.offset += suffix
                let documentFrequency = Int(reader.varInt())
                postings += Int(reader.varInt())
                positions += Int(reader.varInt())
                let info = TermInfo(
                    documentFrequency: documentFrequency, postingsOffset: self.footer.postings + postings,
                    positionsOffset: self.footer.positions + positions
                )
                let keepGoing = term.withUnsafeBytes { body($0, info) }
                if !keepGoing { return false }
            }
        }
        return true
    }

    /// What the dictionary knows of `term`, or `nil`.
    func termInfo(_ term: [UInt8]) -> TermInfo? {
        term.withUnsafeBytes { target -> TermInfo? in
            let block = self.block(for: target)
            guard block >= 0 else { return nil }
            var found: TermInfo?
            _ = self.scanBlock(block) { candidate, info in
                let order = Self.compare(candidate, target)
                if order == 0 { found = info }
                return order < 0
            }
            return found
        }
    }

    /// Calls `body` with every term starting with `prefix`, in order, while it returns true.
    func terms(withPrefix prefix: [UInt8], _ body: ([UInt8], TermInfo) -> Bool) {
        self.scanTerms(withPrefix: prefix) { body(Array($0), $1) }
    }

    /// Calls `body` with the bytes of every term starting with `prefix` (valid during the call
    /// only: nothing is copied), in order, while it returns true.
    func scanTerms(withPrefix prefix: [UInt8], _ body: (UnsafeRawBufferPointer, TermInfo) -> Bool) {
        prefix.withUnsafeBytes { target in
            var block = max(0, self.block(for: target))
            while block < self.footer.blockCount {
                let keepGoing = self.scanBlock(block) { candidate, info in
                    if Self.compare(candidate, target) < 0 { return true }
                    guard candidate.starts(with: target) else { return false }
                    return body(candidate, info)
                }
                if !keepGoing { return }
                block += 1
            }
        }
    }
}
