/// An append-only byte buffer with little-endian integers and LEB128 variable-length integers.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        self.bytes.reserveCapacity(capacity)
    }

    var count: Int { self.bytes.count }

    mutating func append(_ byte: UInt8) {
        self.bytes.append(byte)
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: other)
    }

    /// An unsigned integer in 7-bit groups, low first, high bit set on all but the last.
    mutating func appendVarInt(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.bytes.append(UInt8(value))
    }

    mutating func appendUInt16(_ value: UInt16) {
        self.bytes.append(UInt8(truncatingIfNeeded: value))
        self.bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendUInt32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            self.bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func appendUInt64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            self.bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Zero bytes up to a multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        while self.bytes.count % alignment != 0 { self.bytes.append(0) }
    }

    mutating func removeAll() {
        self.bytes.removeAll(keepingCapacity: true)
    }
}

/// Reads what ``ByteWriter`` wrote, from memory it does not own (a mapped file).
struct ByteReader {
    let base: UnsafeRawPointer
    var offset: Int

    init(_ base: UnsafeRawPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    @inline(__always)
    mutating func byte() -> UInt8 {
        let value = self.base.load(fromByteOffset: self.offset, as: UInt8.self)
        self.offset += 1
        return value
    }

    @inline(__always)
    mutating func varInt() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = self.byte()
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    mutating func uint16() -> UInt16 {
        let value = self.base.loadUnaligned(fromByteOffset: self.offset, as: UInt16.self)
        self.offset += 2
        return UInt16(littleEndian: value)
    }

    @inline(__always)
    mutating func uint32() -> UInt32 {
        let value = self.base.loadUnaligned(fromByteOffset: self.offset, as: UInt32.self)
        self.offset += 4
        return UInt32(littleEndian: value)
    }

    @inline(__always)
    mutating func uint64() -> UInt64 {
        let value = self.base.loadUnaligned(fromByteOffset: self.offset, as: UInt64.self)
        self.offset += 8
        return UInt64(littleEndian: value)
    }
}
