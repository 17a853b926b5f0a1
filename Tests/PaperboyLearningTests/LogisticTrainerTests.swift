import PaperboyLearning
import Testing

@Suite struct LogisticTrainerTests {
    /// An item near axis `axis` of an 8-dimensional space, with these terms.
    private static func item(axis: Int, noise: Int, terms: [Int32]) -> FeatureVector {
        var dense = Array(repeating: Float(0), count: 8)
        dense[axis] = 1
        dense[(axis + 1 + noise % 6) % 8] = 0.3
        return FeatureVector.blended(dense: dense, sparse: SparseVector(terms.map { (index: $0, value: 1) }))
    }

    private static func examples() -> [TrainingExample] {
        (0..<6).map {
            TrainingExample(features: item(axis: 0, noise: $0, terms: [10, Int32(20 + $0)]), isPositive: true)
        }
            + (0..<30).map {
                TrainingExample(features: item(axis: 4, noise: $0, terms: [11, Int32(40 + $0)]), isPositive: false)
            }
    }

    @Test func separatesUnseenItemsOfEachSide() {
        let model = LogisticTrainer().train(Self.examples())
        for noise in 0..<6 {
            let liked = model.score(Self.item(axis: 0, noise: noise + 3, terms: [10, 90]))
            let other = model.score(Self.item(axis: 4, noise: noise + 3, terms: [11, 91]))
            #expect(liked > 0)
            #expect(other < 0)
        }
    }

    @Test func theSameExamplesGiveTheSameModel() {
        #expect(LogisticTrainer().train(Self.examples()) == LogisticTrainer().train(Self.examples()))
    }

    @Test func noExamplesLeaveTheModelAsItWas() {
        #expect(LogisticTrainer().train([]) == LinearModel())
        var start = LinearModel(denseCount: 2)
        start.bias = 0.5
        #expect(LogisticTrainer().train([], startingFrom: start) == start)
    }

    @Test func aWeightedNegativePushesItsTermsDown() {
        // Positives share term 10 with some, term 12 with others; one explicit "not interested"
        // item has term 12 and weighs five times a sampled negative.
        let positives = (0..<8).map {
            TrainingExample(
                features: Self.item(axis: 0, noise: $0, terms: [$0 % 2 == 0 ? 10 : 12]), isPositive: true)
        }
        let sampled = (0..<20).map {
            TrainingExample(features: Self.item(axis: 4, noise: $0, terms: [Int32(40 + $0)]), isPositive: false)
        }
        let refused = TrainingExample(features: Self.item(axis: 2, noise: 0, terms: [12]), isPositive: false, weight: 5)
        let without = LogisticTrainer().train(positives + sampled)
        let with = LogisticTrainer().train(positives + sampled + [refused])
        let probe = Self.item(axis: 2, noise: 1, terms: [12])
        #expect(with.score(probe) < without.score(probe))
        #expect((with.sparse[12] ?? 0) < (with.sparse[10] ?? 0))
    }

    @Test func aWarmStartTakesInANewPositive() {
        let trainer = LogisticTrainer()
        let model = trainer.train(Self.examples())
        let probe = Self.item(axis: 6, noise: 0, terms: [77])
        let added = TrainingExample(features: Self.item(axis: 6, noise: 1, terms: [77]), isPositive: true)
        let updated = trainer.train(Self.examples() + [added], startingFrom: model)
        #expect(updated.score(probe) > model.score(probe))
        #expect((updated.sparse[77] ?? 0) > 0)
    }

    @Test func strongestTermsAreTheModelsOwnLargestShares() {
        var model = LinearModel()
        model.sparse = [1: 2, 2: -3, 3: 0.5, 4: 1]
        let features = FeatureVector(
            sparse: SparseVector(
                [
                    (index: 1, value: 0.5), (index: 2, value: 1), (index: 3, value: 1), (index: 4, value: 0.2),
                    (index: 5, value: 1),
                ] as [(index: Int32, value: Float)]))
        let strongest = model.strongestTerms(of: features, limit: 2)
        #expect(strongest.map(\.index) == [1, 3])
        #expect(strongest.map(\.contribution) == [1, 0.5])
        #expect(model.strongestTerms(of: features, limit: 10).map(\.index) == [1, 3, 4])
    }
}
