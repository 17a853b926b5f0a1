/// Fixed-width bit packing of small unsigned integers, as postings blocks store doc-id deltas and
/// frequencies: `count` values of `width` bits each, little-endian bit order.
enum BitPacking {
    /// The bits needed for the largest of `values` (0 when all are 0).
    static func width(of values: UnsafeBufferPointer<UInt32>) -> Int {
        var combined: UInt32 = 0
        for value in values { combined |= value }
        return combined == 0 ? 0 : 32 - combined.leadingZeroBitCount
    }

    /// Bytes taken by `count` values of `width` bits.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int {
        (count * width + 7) / 8
    }

    /// Appends `values` packed at `width` bits.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into writer: inout ByteWriter) {
        guard width > 0 else { return }
        var accumulator: UInt64 = 0
        var filled = 0
        for value in values {
            accumulator |= UInt64(value) << UInt64(filled)
            filled += width
            while filled >= 8 {
                writer.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }
        if filled > 0 { writer.append(UInt8(truncatingIfNeeded: accumulator)) }
    }

    /// Reads `count` values of `width` bits from `source` into `output`.
    ///
    /// Reads up to 7 bytes past the packed data: files keep padding after their last block.
    @inline(__always)
    static func unpack(_ source: UnsafeRawPointer, count: Int, width: Int, into output: UnsafeMutablePointer<UInt32>) {
        guard width > 0 else {
            output.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        var bit = 0
        for index in 0..<count {
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
            output[index] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += width
        }
    }
}
