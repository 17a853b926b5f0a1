/// Many growing byte streams in one arena: each stream is a chain of slices of growing size, the
/// last four bytes of a full slice holding the offset of the next (Lucene's `ByteBlockPool`). The
/// indexer keeps one stream of postings per term without one array per term.
///
/// The arena is raw memory, grown by doubling; a pool has one owner and is not copied while
/// written.
struct ByteSlicePool {
    private var arena: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var byteCount = 0
    private let owner: Owner

    /// Frees the arena when the pool goes.
    private final class Owner {
        var arena: UnsafeMutablePointer<UInt8>

        init(_ arena: UnsafeMutablePointer<UInt8>) {
            self.arena = arena
        }

        deinit {
            self.arena.deallocate()
        }
    }

    /// Slice sizes by level, pointer included; the last level repeats.
    static let sizes = [16, 32, 64, 128, 256, 512]

    /// Where a stream stands.
    struct Stream {
        var head: Int32 = -1
        var position: Int32 = 0
        var sliceEnd: Int32 = 0  // where the pointer of the current slice starts
        var level: UInt8 = 0
        var length: Int32 = 0
    }

    init(capacity: Int = 1 << 20) {
        self.capacity = max(1 << 12, capacity)
        self.arena = .allocate(capacity: self.capacity)
        self.owner = Owner(self.arena)
    }

    private mutating func allocate(level: Int) -> Int32 {
        let size = Self.sizes[level]
        if self.byteCount + size > self.capacity {
            var capacity = self.capacity * 2
            while capacity < self.byteCount + size { capacity *= 2 }
            let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            arena.update(from: self.arena, count: self.byteCount)
            self.arena.deallocate()
            self.arena = arena
            self.capacity = capacity
            self.owner.arena = arena
        }
        let start = self.byteCount
        (self.arena + start).initialize(repeating: 0, count: size)
        self.byteCount += size
        return Int32(start)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8, to stream: inout Stream) {
        if stream.head < 0 {
            let start = self.allocate(level: 0)
            stream.head = start
            stream.position = start
            stream.sliceEnd = start + Int32(Self.sizes[0]) - 4
        } else if stream.position == stream.sliceEnd {
            let level = min(Int(stream.level) + 1, Self.sizes.count - 1)
            let next = self.allocate(level: level)
            let end = Int(stream.sliceEnd)
            for shift in 0..<4 { self.arena[end + shift] = UInt8(truncatingIfNeeded: next >> Int32(8 * shift)) }
            stream.level = UInt8(level)
            stream.position = next
            stream.sliceEnd = next + Int32(Self.sizes[level]) - 4
        }
        self.arena[Int(stream.position)] = byte
        stream.position += 1
        stream.length += 1
    }

    @inline(__always)
    mutating func appendVarInt(_ value: UInt32, to stream: inout Stream) {
        var value = value
        while value >= 0x80 {
            self.append(UInt8(truncatingIfNeeded: value) | 0x80, to: &stream)
            value >>= 7
        }
        self.append(UInt8(value), to: &stream)
    }

    /// The arena as a buffer, valid while the pool is not written.
    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: self.arena, count: self.byteCount) }

    /// Reads a stream back.
    struct Reader {
        let arena: UnsafeBufferPointer<UInt8>
        var position: Int
        var sliceEnd: Int
        var level: Int
        var remaining: Int

        init(arena: UnsafeBufferPointer<UInt8>, stream: Stream) {
            self.arena = arena
            self.position = Int(stream.head)
            self.sliceEnd = Int(stream.head) + ByteSlicePool.sizes[0] - 4
            self.level = 0
            self.remaining = Int(stream.length)
        }

        var isAtEnd: Bool { self.remaining == 0 }

        @inline(__always)
        mutating func byte() -> UInt8 {
            if self.position == self.sliceEnd {
                var next = 0
                for shift in 0..<4 { next |= Int(self.arena[self.sliceEnd + shift]) << (8 * shift) }
                self.level = min(self.level + 1, ByteSlicePool.sizes.count - 1)
                self.position = next
                self.sliceEnd = next + ByteSlicePool.sizes[self.level] - 4
            }
            let byte = self.arena[self.position]
            self.position += 1
            self.remaining -= 1
            return byte
        }

        @inline(__always)
        mutating func varInt() -> UInt32 {
            var result: UInt32 = 0
            var shift: UInt32 = 0
            while true {
                let byte = self.byte()
                result |= UInt32(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
    }
}
