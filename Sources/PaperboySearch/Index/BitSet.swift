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
}
