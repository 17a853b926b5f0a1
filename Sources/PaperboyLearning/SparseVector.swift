/// A vector with few non-zero entries: feature indices in ascending order, each with its value.
/// The term part of a ``FeatureVector`` (tf-idf weights over a vocabulary of any size).
public struct SparseVector: Sendable, Equatable {
    /// The indices of the non-zero entries, ascending, each once.
    public private(set) var indices: [Int32]
    /// The value at each index of ``indices``.
    public private(set) var values: [Float]

    /// The empty vector.
    public init() {
        self.indices = []
        self.values = []
    }

    /// A vector of these entries in any order; values at the same index are summed and zeros
    /// left out.
    public init(_ entries: some Sequence<(index: Int32, value: Float)>) {
        var merged: [Int32: Float] = [:]
        for entry in entries { merged[entry.index, default: 0] += entry.value }
        let sorted = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        self.indices = sorted.map(\.key)
        self.values = sorted.map(\.value)
    }

    /// How many entries are non-zero.
    public var count: Int { self.indices.count }

    /// The Euclidean length.
    public var norm: Float {
        var sum: Float = 0
        for value in self.values { sum += value * value }
        return sum.squareRoot()
    }

    /// This vector scaled to length 1 (the empty vector stays empty).
    public func normalized() -> SparseVector {
        let norm = self.norm
        guard norm > 0 else { return self }
        var copy = self
        for position in copy.values.indices { copy.values[position] /= norm }
        return copy
    }

    /// The dot product with another sparse vector (a merge of the two index lists).
    public func dot(_ other: SparseVector) -> Float {
        var sum: Float = 0
        var left = 0
        var right = 0
        while left < self.indices.count, right < other.indices.count {
            let a = self.indices[left]
            let b = other.indices[right]
            if a == b {
                sum += self.values[left] * other.values[right]
                left += 1
                right += 1
            } else if a < b {
                left += 1
            } else {
                right += 1
            }
        }
        return sum
    }
}
