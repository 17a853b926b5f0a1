/// A fixed-size set of small integers; a segment's deleted documents.
///
/// A value type with copy-on-write storage whose words stay at one address while the set lives,
/// so scorers can test membership through a raw pointer.
public struct BitSet: Hashable, Sendable {
    final class Storage: @unchecked Sendable {
        // Safe to share: the words are only written while the storage is uniquely referenced
        // (copy-on-write in `insert`), never while shared between snapshots.
        let words: UnsafeMutablePointer<UInt64>
        let wordCount: Int

        init(wordCount: Int) {
            self.wordCount = wordCount
            self.words = .allocate(capacity: max(1, wordCount))
            self.words.initialize(repeating: 0, count: max(1, wordCount))
        }

        func copy() -> Storage {
            let copy = Storage(wordCount: self.wordCount)
            copy.words.update(from: self.words, count: max(1, self.wordCount))
            return copy
        }

        deinit {
            self.words.deallocate()
        }
    }

    private var storage: Storage
    /// How many values the set can hold (0..<capacity).
    public let capacity: Int
    /// How many values are in the set.
    public private(set) var count = 0

    /// An empty set for values 0..<capacity.
    public init(capacity: Int) {
        self.capacity = capacity
        self.storage = Storage(wordCount: (capacity + 63) / 64)
    }

    /// Whether `value` is in the set.
    @inline(__always)
    public func contains(_ value: Int) -> Bool {
        self.storage.words[value >> 6] & (1 << UInt64(value & 63)) != 0
    }

    /// Adds `value`; returns false if it was there already.
    @discardableResult
    public mutating func insert(_ value: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(value & 63)
        if self.storage.words[value >> 6] & mask != 0 { return false }
        if !isKnownUniquelyReferenced(&self.storage) { self.storage = self.storage.copy() }
        self.storage.words[value >> 6] |= mask
        self.count += 1
        return true
    }

    /// The words and their owner: the pointer is valid while the owner is alive.
    var unsafeWords: (pointer: UnsafePointer<UInt64>, owner: AnyObject) {
        (UnsafePointer(self.storage.words), self.storage)
    }

    public static func == (lhs: BitSet, rhs: BitSet) -> Bool {
        guard lhs.capacity == rhs.capacity, lhs.count == rhs.count else { return false }
        for index in 0..<lhs.storage.wordCount where lhs.storage.words[index] != rhs.storage.words[index] {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.capacity)
        hasher.combine(self.count)
    }

    /// The file form: "PBDEL001", capacity, count, the words, CRC-32.
    func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: 28 + self.storage.wordCount * 8)
        writer.append(contentsOf: Self.magic)
        writer.appendUInt64(UInt64(self.capacity))
        writer.appendUInt64(UInt64(self.count))
        for index in 0..<self.storage.wordCount { writer.appendUInt64(self.storage.words[index]) }
        let crc = writer.bytes.withUnsafeBytes { SegmentFormat.crc32($0) }
        writer.appendUInt32(crc)
        return writer.bytes
    }

    /// Reads the file form; `nil` when it is damaged.
    init?(serialized bytes: [UInt8]) {
        guard bytes.count >= 28, Array(bytes.prefix(8)) == Self.magic else { return nil }
        let valid: Bool = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw.baseAddress!, offset: raw.count - 4)
            return reader.uint32() == SegmentFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)]))
        }
        guard valid else { return nil }
        let (capacity, count): (Int, Int) = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw.baseAddress!, offset: 8)
            return (Int(reader.uint64()), Int(reader.uint64()))
        }
        let wordCount = (capacity + 63) / 64
        guard bytes.count == 8 + 16 + wordCount * 8 + 4 else { return nil }
        self.capacity = capacity
        self.count = count
        self.storage = Storage(wordCount: wordCount)
        bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw.baseAddress!, offset: 24)
            for index in 0..<wordCount { self.storage.words[index] = reader.uint64() }
        }
    }

    static let magic: [UInt8] = Array("PBDEL001".utf8)
}
