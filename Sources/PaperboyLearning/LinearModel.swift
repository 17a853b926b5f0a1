/// A linear scoring function over ``FeatureVector``s: `w · x + b`, with dense weights for the
/// embedding dimensions and sparse weights for the terms a member's examples contain.
public struct LinearModel: Sendable, Equatable {
    /// The weights of the dense features.
    public var dense: [Float]
    /// The weights of the sparse features that any training example had.
    public var sparse: [Int32: Float]
    /// The intercept.
    public var bias: Float

    /// A model that scores everything 0, for `denseCount` dense features.
    public init(denseCount: Int = 0) {
        self.dense = Array(repeating: 0, count: denseCount)
        self.sparse = [:]
        self.bias = 0
    }

    /// The model's score of `features`: positive leans towards the positives it learned from.
    public func score(_ features: FeatureVector) -> Float {
        self.denseScore(features) + self.sparseScore(features) + self.bias
    }

    /// The part of the score the dense features give.
    public func denseScore(_ features: FeatureVector) -> Float {
        var sum: Float = 0
        let common = min(self.dense.count, features.dense.count)
        self.dense.withUnsafeBufferPointer { weights in
            features.dense.withUnsafeBufferPointer { values in
                for index in 0..<common { sum += weights[index] * values[index] }
            }
        }
        return sum
    }

    /// The part of the score the sparse features give.
    public func sparseScore(_ features: FeatureVector) -> Float {
        var sum: Float = 0
        for (index, value) in zip(features.sparse.indices, features.sparse.values) {
            sum += (self.sparse[index] ?? 0) * value
        }
        return sum
    }

    /// The sparse features that raised the score of `features` most, largest first: each with
    /// its share `weight × value`, only those above zero, at most `limit`. What the model itself
    /// weighed, for saying why it scored an item high.
    public func strongestTerms(of features: FeatureVector, limit: Int) -> [(index: Int32, contribution: Float)] {
        let contributions = zip(features.sparse.indices, features.sparse.values).compactMap {
            index, value -> (index: Int32, contribution: Float)? in
            let share = (self.sparse[index] ?? 0) * value
            return share > 0 ? (index, share) : nil
        }
        return Array(
            contributions.sorted { ($0.contribution, $1.index) > ($1.contribution, $0.index) }.prefix(max(0, limit)))
    }
}
