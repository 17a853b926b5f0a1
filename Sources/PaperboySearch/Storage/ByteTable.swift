/// A hash table from byte strings to 32-bit values, with the keys kept in one arena: the
/// indexer's term and word tables, which see every token and must not allocate per lookup.
struct ByteTable {
    private var slots: [Int32]  // index into `entries`, or -1
    private var keyStarts: [Int] = [0]
    private var keyBytes: [UInt8] = []
    private(set) var values: [Int32] = []
    private var hashes: [UInt64] = []

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.slots = Array(repeating: -1, count: size)
    }

    /// How many keys are stored.
    var count: Int { self.values.count }

    /// The key stored at `index` (in insertion order).
    func key(at index: Int) -> ArraySlice<UInt8> {
        self.keyBytes[self.keyStarts[index]..<self.keyStarts[index + 1]]
    }

    /// Calls `body` with the key at `index`.
    func withKey<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        self.keyBytes.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[self.keyStarts[index]..<self.keyStarts[index + 1]]))
        }
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        // FNV-1a, then a final mix so low bits spread.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 29
        hash &*= 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    /// The index of `key`, or `nil`.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(self.slots[slot])
            if entry < 0 { return nil }
            if self.hashes[entry] == hash, self.matches(entry, key) { return entry }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, inserting it with `value` when absent.
    mutating func findOrInsert(
        _ key: UnsafeBufferPointer<UInt8>, value: @autoclosure () -> Int32
    ) -> (index: Int, inserted: Bool) {
        let hash = Self.hash(key)
        var mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(self.slots[slot])
            if entry < 0 { break }
            if self.hashes[entry] == hash, self.matches(entry, key) { return (entry, false) }
            slot = (slot + 1) & mask
        }
        let index = self.values.count
        self.keyBytes.append(contentsOf: key)
        self.keyStarts.append(self.keyBytes.count)
        self.values.append(value())
        self.hashes.append(hash)
        if (index + 1) * 2 > self.slots.count {
            self.grow()
            mask = self.slots.count - 1
            slot = Int(truncatingIfNeeded: hash) & mask
            while self.slots[slot] >= 0 { slot = (slot + 1) & mask }
        }
        self.slots[slot] = Int32(index)
        return (index, true)
    }

    mutating func setValue(_ value: Int32, at index: Int) {
        self.values[index] = value
    }

    @inline(__always)
    private func matches(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = self.keyStarts[entry]
        let end = self.keyStarts[entry + 1]
        guard end - start == key.count else { return false }
        return self.keyBytes.withUnsafeBufferPointer { stored in
            memcmpBytes(stored.baseAddress! + start, key.baseAddress, key.count)
        }
    }

    private mutating func grow() {
        let size = self.slots.count * 2
        var slots = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (index, hash) in self.hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
        self.slots = slots
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard count > 0, let b else { return true }
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}
