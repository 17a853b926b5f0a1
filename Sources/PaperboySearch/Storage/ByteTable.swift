import Foundation

/// A hash table from byte strings to 32-bit values, with the keys kept in one arena: the
/// indexer's term and word tables, which see every token and must not allocate per lookup.
///
/// Open addressing with linear probing; each slot holds an entry index and the low bits of its
/// hash, so most mismatches are rejected without touching the keys.
struct ByteTable {
    private var slots: UnsafeMutablePointer<UInt64>  // entry index + 1 in the low 32 bits, hash tag above; 0 = empty
    private var slotCount: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    private var keyStarts: [Int] = [0]
    private(set) var values: [Int32] = []
    private var owner: Owner

    /// Frees the buffers when the last copy of the table goes.
    private final class Owner {
        var slots: UnsafeMutablePointer<UInt64>
        var arena: UnsafeMutablePointer<UInt8>

        init(slots: UnsafeMutablePointer<UInt64>, arena: UnsafeMutablePointer<UInt8>) {
            self.slots = slots
            self.arena = arena
        }

        deinit {
            self.slots.deallocate()
            self.arena.deallocate()
        }
    }

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.slotCount = size
        self.slots = .allocate(capacity: size)
        self.slots.initialize(repeating: 0, count: size)
        self.arenaCapacity = max(1 << 16, capacity * 8)
        self.arena = .allocate(capacity: self.arenaCapacity)
        self.owner = Owner(slots: self.slots, arena: self.arena)
    }

    /// How many keys are stored.
    var count: Int { self.values.count }

    /// The key stored at `index` (in insertion order).
    func key(at index: Int) -> ArraySlice<UInt8> {
        let start = self.keyStarts[index]
        return ArraySlice(UnsafeBufferPointer(start: self.arena + start, count: self.keyStarts[index + 1] - start))
    }

    /// The key at `index` as raw bytes, valid while the table is not modified.
    func keyBuffer(at index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = self.keyStarts[index]
        return UnsafeBufferPointer(start: self.arena + start, count: self.keyStarts[index + 1] - start)
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        // Eight bytes at a time, multiply-xorshift mixing.
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return hash }
        var index = 0
        var remaining = key.count
        while remaining >= 8 {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
            remaining -= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while remaining > 0 {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
            remaining -= 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    @inline(__always)
    private func matches(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = self.keyStarts[entry]
        let length = self.keyStarts[entry + 1] - start
        guard length == key.count else { return false }
        guard length > 0, let base = key.baseAddress else { return true }
        return memcmp(self.arena + start, base, length) == 0
    }

    /// The index of `key`, or `nil`.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = self.slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = self.slots[slot]
            if value == 0 { return nil }
            if value & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(value & 0xFFFF_FFFF) - 1
                if self.matches(entry, key) { return entry }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, inserting it with `value` when absent.
    mutating func findOrInsert(
        _ key: UnsafeBufferPointer<UInt8>, value: @autoclosure () -> Int32
    ) -> (index: Int, inserted: Bool) {
        let hash = Self.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var mask = self.slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = self.slots[slot]
            if stored == 0 { break }
            if stored & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(stored & 0xFFFF_FFFF) - 1
                if self.matches(entry, key) { return (entry, false) }
            }
            slot = (slot + 1) & mask
        }
        let index = self.values.count
        self.appendKey(key)
        self.values.append(value())
        if (index + 1) * 2 > self.slotCount {
            self.grow()
            mask = self.slotCount - 1
            slot = Int(truncatingIfNeeded: hash) & mask
            while self.slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        self.slots[slot] = tag | UInt64(index + 1)
        return (index, true)
    }

    mutating func setValue(_ value: Int32, at index: Int) {
        self.values[index] = value
    }

    private mutating func appendKey(_ key: UnsafeBufferPointer<UInt8>) {
        if self.arenaCount + key.count > self.arenaCapacity {
            var capacity = self.arenaCapacity * 2
            while capacity < self.arenaCount + key.count { capacity *= 2 }
            let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            arena.update(from: self.arena, count: self.arenaCount)
            self.arena.deallocate()
            self.arena = arena
            self.arenaCapacity = capacity
            self.owner.arena = arena
        }
        if let base = key.baseAddress, key.count > 0 {
            (self.arena + self.arenaCount).update(from: base, count: key.count)
        }
        self.arenaCount += key.count
        self.keyStarts.append(self.arenaCount)
    }

    private mutating func grow() {
        let size = self.slotCount * 2
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        let mask = size - 1
        for index in 0..<self.values.count {
            let hash = Self.hash(self.keyBuffer(at: index))
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
        self.slots.deallocate()
        self.slots = slots
        self.slotCount = size
        self.owner.slots = slots
    }
}
