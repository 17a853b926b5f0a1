/// One labelled item to learn from.
public struct TrainingExample: Sendable {
    /// The item's features.
    public var features: FeatureVector
    /// Whether the member wants items like it.
    public var isPositive: Bool
    /// How much it counts beside the others: an explicit "not interested" outweighs a negative
    /// sampled from papers the member merely did not open.
    public var weight: Float

    /// Creates an example.
    public init(features: FeatureVector, isPositive: Bool, weight: Float = 1) {
        self.features = features
        self.isPositive = isPositive
        self.weight = weight
    }
}
