import Foundation

/// Fits a ``LinearModel`` to labelled examples: L2-regularised logistic regression by stochastic
/// gradient descent, each class weighted so that both count equally whatever their sizes
/// (scikit-learn's `class_weight="balanced"`), examples visited in a seeded order so that the
/// same examples always give the same model. Warm-started from an earlier model, a few epochs
/// take in a new signal (an upvote, a "not interested") without starting over.
public struct LogisticTrainer: Sendable {
    /// The L2 penalty (larger keeps the weights smaller and the model closer to its prior).
    public var regularization: Float
    /// Passes over the examples when training from nothing.
    public var epochs: Int
    /// Passes when warm-started.
    public var updateEpochs: Int
    /// The seed of the order examples are visited in.
    public var seed: UInt64

    /// Creates a trainer.
    public init(regularization: Float = 1e-3, epochs: Int = 30, updateEpochs: Int = 8, seed: UInt64 = 0x5eed) {
        self.regularization = regularization
        self.epochs = epochs
        self.updateEpochs = updateEpochs
        self.seed = seed
    }

    /// A model fitted to `examples`, starting from `start` when given (fewer epochs then). With no
    /// examples, `start` (or a zero model) is returned unchanged.
    public func train(_ examples: [TrainingExample], startingFrom start: LinearModel? = nil) -> LinearModel {
        let denseCount = examples.reduce(start?.dense.count ?? 0) { max($0, $1.features.dense.count) }
        var model = start ?? LinearModel(denseCount: denseCount)
        if model.dense.count < denseCount {
            model.dense += Array(repeating: 0, count: denseCount - model.dense.count)
        }
        guard !examples.isEmpty else { return model }
        let positives = examples.reduce(Float(0)) { $0 + ($1.isPositive ? $1.weight : 0) }
        let negatives = examples.reduce(Float(0)) { $0 + ($1.isPositive ? 0 : $1.weight) }
        let total = positives + negatives
        guard total > 0 else { return model }
        // Balanced: each class carries half of the total weight.
        let positiveScale = positives > 0 ? total / (2 * positives) : 0
        let negativeScale = negatives > 0 ? total / (2 * negatives) : 0

        // The weights are kept as `scale × raw` so that the L2 shrink of every weight is one
        // multiplication, however many sparse weights there are.
        var scale: Float = 1
        var random = SplitMix64(seed: self.seed)
        var order = Array(examples.indices)
        let lambda = max(self.regularization, 1e-6)
        let passes = start == nil ? self.epochs : self.updateEpochs
        // Steps decay as 1 / (λ(t + t₀)), t₀ chosen so the first step is about 1.
        let offset = 1 / lambda
        var step: Float = 0
        for _ in 0..<max(1, passes) {
            random.shuffle(&order)
            for index in order {
                let example = examples[index]
                let weight = example.weight * (example.isPositive ? positiveScale : negativeScale)
                guard weight > 0 else { continue }
                step += 1
                let rate = 1 / (lambda * (step + offset))
                let label: Float = example.isPositive ? 1 : -1
                let features = example.features
                let raw = model.denseScore(features) + model.sparseScore(features)
                let margin = label * (scale * raw + model.bias)
                // The loss log(1 + e^-m) falls fastest along label × x / (1 + e^m).
                let gradient = weight * label / (1 + Self.exp(margin))
                scale *= 1 - rate * lambda
                if scale < 1e-3 {
                    Self.rescale(&model, by: scale)
                    scale = 1
                }
                let change = rate * gradient / scale
                let common = min(model.dense.count, features.dense.count)
                for position in 0..<common { model.dense[position] += change * features.dense[position] }
                for (term, value) in zip(features.sparse.indices, features.sparse.values) {
                    model.sparse[term, default: 0] += change * value
                }
                // The intercept is not regularised.
                model.bias += rate * gradient
            }
        }
        Self.rescale(&model, by: scale)
        return model
    }

    private static func rescale(_ model: inout LinearModel, by scale: Float) {
        guard scale != 1 else { return }
        for position in model.dense.indices { model.dense[position] *= scale }
        for key in model.sparse.keys { model.sparse[key]! *= scale }
    }

    private static func exp(_ value: Float) -> Float {
        // Clamped where Float would overflow.
        Float(Foundation.exp(Double(min(max(value, -80), 80))))
    }
}
