/// What a linear model sees of one item: an optional dense part (an embedding, unit length) and a
/// sparse part (term weights, unit length), each scaled by its share of the whole.
public struct FeatureVector: Sendable, Equatable {
    /// The dense features (an embedding); empty when the item has none.
    public var dense: [Float]
    /// The sparse features (term weights).
    public var sparse: SparseVector

    /// A vector of these parts, taken as they are.
    public init(dense: [Float] = [], sparse: SparseVector = SparseVector()) {
        self.dense = dense
        self.sparse = sparse
    }

    /// A vector whose parts are each made unit length, then weighted: `denseWeight` for the
    /// dense part and `1 - denseWeight` for the sparse one, so that neither drowns the other
    /// whatever their sizes. Without a dense part the sparse part gets the whole weight.
    public static func blended(dense: [Float]?, sparse: SparseVector, denseWeight: Float = 0.5) -> FeatureVector {
        guard let dense, !dense.isEmpty else { return FeatureVector(sparse: sparse.normalized()) }
        var length: Float = 0
        for value in dense { length += value * value }
        length = length.squareRoot()
        let share = min(max(denseWeight, 0), 1)
        let denseScale = length > 0 ? share.squareRoot() / length : 0
        var terms = sparse.normalized()
        terms = terms.scaled(by: (1 - share).squareRoot())
        return FeatureVector(dense: dense.map { $0 * denseScale }, sparse: terms)
    }

    /// The dot product with another vector: dense parts over their common length, plus the
    /// sparse parts.
    public func dot(_ other: FeatureVector) -> Float {
        var sum: Float = 0
        let common = min(self.dense.count, other.dense.count)
        self.dense.withUnsafeBufferPointer { left in
            other.dense.withUnsafeBufferPointer { right in
                for index in 0..<common { sum += left[index] * right[index] }
            }
        }
        return sum + self.sparse.dot(other.sparse)
    }
}

extension SparseVector {
    /// Every value multiplied by `factor`.
    public func scaled(by factor: Float) -> SparseVector {
        SparseVector(zip(self.indices, self.values).map { (index: $0, value: $1 * factor) })
    }
}
