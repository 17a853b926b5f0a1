/// Field lengths quantised to one byte, as Lucene and tantivy store norms: exact up to 40, then
/// in steps of about 4 %, up to several million. A length is stored as the largest code whose
/// length does not exceed it.
enum FieldNorm {
    /// The length each code stands for, increasing.
    static let lengths: [UInt32] = {
        var table: [UInt32] = Array(0...40)
        while table.count < 256 {
            let previous = Double(table.last!)
            table.append(UInt32(max(previous + 1, (previous * 1.04).rounded(.up))))
        }
        return table
    }()

    /// The code of a length.
    static func code(for length: UInt32) -> UInt8 {
        if length <= 40 { return UInt8(length) }
        var low = 40
        var high = 255
        while low < high {
            let middle = (low + high + 1) / 2
            if Self.lengths[middle] <= length { low = middle } else { high = middle - 1 }
        }
        return UInt8(low)
    }
}
