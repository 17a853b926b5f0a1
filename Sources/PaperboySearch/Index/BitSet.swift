/// A fixed-size set of small integers; a segment's deleted documents.
public struct BitSet: Hashable, Sendable {
    private var words: [UInt64]
    /// How many values the set can hold (0..<capacity).
    public let capacity: Int
    /// How many values are in the set.
    public private(set) var count = 0

    /// An empty set for values 0..<capacity.
    public init(capacity: Int) {
        self.capacity = capacity
        self.words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// Whether `value` is in the set.
    @inline(__always)
    public func contains(_ value: Int) -> Bool {
        self.words[value >> 6] & (1 << UInt64(value & 63)) != 0
    }

    /// Adds `value`; returns false if it was there already.
    @discardableResult
    public mutating func insert(_ value: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(value & 63)
        if self.words[value >> 6] & mask != 0 { return false }
        self.words[value >> 6] |= mask
        self.count += 1
        return true
    }

    /// The file form: "PBDEL001", capacity, count, the words, CRC-32.
    func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: 24 + self.words.count * 8)
        writer.append(contentsOf: Self.magic)
        writer.appendUInt64(UInt64(self.capacity))
        writer.appendUInt64(UInt64(self.count))
        for word in self.words { writer.appendUInt64(word) }
        let crc = writer.bytes.withUnsafeBytes { SegmentFormat.crc32($0) }
        writer.appendUInt32(crc)
        return writer.bytes
    }

    /// Reads the file form; `nil` when it is damaged.
    init?(serialized bytes: [UInt8]) {
        guard bytes.count >= 28, Array(bytes.prefix(8)) == Self.magic else { return nil }
        let ok: Bool = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw.baseAddress!, offset: raw.count - 4)
            return reader.uint32() == SegmentFormat.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)]))
        }
        guard ok else { return nil }
        let parsed: (Int, Int, [UInt64]) = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw.baseAddress!, offset: 8)
            let capacity = Int(reader.uint64())
            let count = Int(reader.uint64())
            let words = (0..<((capacity + 63) / 64)).map { _ in reader.uint64() }
            return (capacity, count, words)
        }
        guard bytes.count == 8 + 16 + parsed.2.count * 8 + 4 else { return nil }
        self.capacity = parsed.0
        self.count = parsed.1
        self.words = parsed.2
    }

    static let magic: [UInt8] = Array("PBDEL001".utf8)
}
