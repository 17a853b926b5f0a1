/// Walks one term's postings in a segment file, a block of 128 documents at a time, with the skip
/// table for jumps and for the blocks' score bounds.
final class PostingsCursor {
    private let base: UnsafeRawPointer
    /// Text fields with frequencies (0 for keyword and key terms).
    let fieldCount: Int
    let documentFrequency: Int
    let blockCount: Int
    private let skipTable: Int
    private let blocksStart: Int
    private let positionsStart: Int
    private let skipEntrySize: Int

    private(set) var block = -1
    private var blockLength = 0
    /// The position in the loaded block; -1 until the first document is read (a block may be
    /// loaded earlier, for its bounds).
    private var index = -1
    private let docs: UnsafeMutablePointer<UInt32>
    private let frequencies: UnsafeMutablePointer<UInt32>
    /// The current document, -1 before the first ``advance()``, `Int32.max` at the end.
    private(set) var doc: Int32 = -1
    /// The last document of the loaded block.
    private(set) var blockLastDoc: Int32 = -1

    // Positions of the current block, read lazily.
    private var positionsPosting = 0
    private var positionsOffset = 0
    /// The search's time budget: once it is spent, the cursor acts as if its postings had ended.
    private let budget: SearchBudget?

    init(segment: SegmentFile, info: SegmentFile.TermInfo, isText: Bool, budget: SearchBudget? = nil) {
        self.budget = budget
        self.base = segment.file.base
        self.fieldCount = isText ? segment.textFieldCount : 0
        self.documentFrequency = info.documentFrequency
        self.blockCount = (info.documentFrequency + SegmentFormat.blockSize - 1) / SegmentFormat.blockSize
        self.skipEntrySize = SegmentFormat.skipEntrySize
        self.skipTable = info.postingsOffset
        self.blocksStart = info.postingsOffset + (self.blockCount > 1 ? self.blockCount * self.skipEntrySize : 0)
        self.positionsStart = info.positionsOffset
        self.docs = .allocate(capacity: SegmentFormat.blockSize)
        self.frequencies = .allocate(capacity: SegmentFormat.blockSize * max(1, self.fieldCount))
    }

    deinit {
        self.docs.deallocate()
        self.frequencies.deallocate()
    }

    // MARK: Skip table

    /// The last document of block `block` (reads the skip table; loads a lone block).
    func lastDoc(ofBlock block: Int) -> Int32 {
        if self.blockCount > 1 {
            return Int32(
                bitPattern: UInt32(
                    littleEndian: self.base.loadUnaligned(
                        fromByteOffset: self.skipTable + block * self.skipEntrySize, as: UInt32.self)))
        }
        if self.block != 0 { self.load(block: 0) }
        return self.blockLastDoc
    }

    /// The largest BM25F pseudo-frequency of block `block` with the segment's own averages
    /// (multi-block terms only).
    func maxPseudoFrequency(block: Int) -> Float {
        Float(
            bitPattern: UInt32(
                littleEndian: self.base.loadUnaligned(
                    fromByteOffset: self.skipTable + block * self.skipEntrySize + 12, as: UInt32.self)))
    }

    private func skipUInt32(_ block: Int, _ offset: Int) -> Int {
        Int(
            UInt32(
                littleEndian: self.base.loadUnaligned(
                    fromByteOffset: self.skipTable + block * self.skipEntrySize + offset, as: UInt32.self)))
    }

    /// The first block at or after `from` whose last document is ≥ `target`, or `blockCount`.
    func block(containing target: Int32, from: Int) -> Int {
        var block = max(0, from)
        guard self.blockCount > 1 else { return target <= self.lastDoc(ofBlock: 0) ? 0 : 1 }
        // Gallop, then binary search.
        var step = 1
        var high = block
        while high < self.blockCount, self.lastDoc(ofBlock: high) < target {
            block = high + 1
            high += step
            step *= 2
        }
        high = min(high, self.blockCount - 1)
        while block < high {
            let middle = (block + high) / 2
            if self.lastDoc(ofBlock: middle) < target { block = middle + 1 } else { high = middle }
        }
        return block < self.blockCount && self.lastDoc(ofBlock: block) >= target ? block : self.blockCount
    }

    // MARK: Blocks

    private func load(block: Int) {
        let offset = self.blocksStart + (self.blockCount > 1 ? self.skipUInt32(block, 4) : 0)
        let count =
            block == self.blockCount - 1
            ? self.documentFrequency - block * SegmentFormat.blockSize : SegmentFormat.blockSize
        var previous: Int64 = block == 0 ? -1 : Int64(self.lastDoc(ofBlock: block - 1))
        var reader = ByteReader(self.base, offset: offset)
        let deltaWidth = Int(reader.byte())
        var widths = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &widths) { raw in
            let pointer = raw.bindMemory(to: Int.self)
            for field in 0..<self.fieldCount { pointer[field] = Int(reader.byte()) }
        }
        var position = reader.offset
        BitPacking.unpack(self.base + position, count: count, width: deltaWidth, into: self.docs)
        position += BitPacking.byteCount(count: count, width: deltaWidth)
        for index in 0..<count {
            previous += Int64(self.docs[index])
            self.docs[index] = UInt32(previous)
        }
        withUnsafeBytes(of: widths) { raw in
            let pointer = raw.bindMemory(to: Int.self)
            for field in 0..<self.fieldCount {
                BitPacking.unpack(
                    self.base + position, count: count, width: pointer[field],
                    into: self.frequencies + field * SegmentFormat.blockSize)
                position += BitPacking.byteCount(count: count, width: pointer[field])
            }
        }
        self.block = block
        self.blockLength = count
        self.blockLastDoc = Int32(self.docs[count - 1])
        self.positionsPosting = 0
        self.positionsOffset = self.positionsStart + (self.blockCount > 1 ? self.skipUInt32(block, 8) : 0)
    }

    /// Moves to the next document.
    @inline(__always)
    func advance() -> Int32 {
        self.index += 1
        if self.index >= self.blockLength {
            guard self.block + 1 < self.blockCount, self.budget?.charge() ?? true else {
                self.doc = Int32.max
                return self.doc
            }
            self.load(block: self.block + 1)
            self.index = 0
        }
        self.doc = Int32(self.docs[self.index])
        return self.doc
    }

    /// Moves to the first document ≥ `target`.
    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        if self.block < 0 || target > self.blockLastDoc {
            let next = self.block(containing: target, from: self.block + 1)
            guard next < self.blockCount, self.budget?.charge() ?? true else {
                self.doc = Int32.max
                return self.doc
            }
            self.load(block: next)
            self.index = 0
        }
        if self.index < 0 { self.index = 0 }
        while self.docs[self.index] < UInt32(target) { self.index += 1 }
        self.doc = Int32(self.docs[self.index])
        return self.doc
    }

    /// The current document's frequency in `field`.
    @inline(__always)
    func frequency(field: Int) -> UInt32 {
        self.frequencies[field * SegmentFormat.blockSize + self.index]
    }

    /// The current document's positions in `field`, ascending.
    func positions(field: Int) -> [UInt32] {
        var reader = ByteReader(self.base, offset: self.positionsOffset)
        // Skip the positions of earlier postings in the block.
        while self.positionsPosting < self.index {
            for other in 0..<self.fieldCount {
                for _ in 0..<self.frequencies[other * SegmentFormat.blockSize + self.positionsPosting] {
                    _ = reader.varInt()
                }
            }
            self.positionsPosting += 1
        }
        self.positionsOffset = reader.offset
        for other in 0..<field {
            for _ in 0..<self.frequencies[other * SegmentFormat.blockSize + self.index] { _ = reader.varInt() }
        }
        var positions: [UInt32] = []
        var previous: UInt32 = 0
        for _ in 0..<self.frequencies[field * SegmentFormat.blockSize + self.index] {
            previous += UInt32(reader.varInt())
            positions.append(previous)
        }
        return positions
    }

    /// Frequencies and documents of a block, for exact bounds of one-block terms. Only before the
    /// first document is read, or on the current block.
    func forEachPostingInBlock(_ block: Int, _ body: (Int32, UnsafePointer<UInt32>, Int) -> Void) {
        if self.block != block {
            precondition(self.index < 0, "the cursor has moved on")
            self.load(block: block)
        }
        for index in 0..<self.blockLength {
            body(Int32(self.docs[index]), UnsafePointer(self.frequencies + index), SegmentFormat.blockSize)
        }
    }
}
