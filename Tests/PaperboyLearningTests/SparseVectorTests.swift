import PaperboyLearning
import Testing

@Suite struct SparseVectorTests {
    @Test func entriesAreSortedMergedAndZerosDropped() {
        let vector = SparseVector([
            (index: 7, value: 1), (index: 2, value: 0.5), (index: 7, value: 2), (index: 4, value: 0),
        ])
        #expect(vector.indices == [2, 7])
        #expect(vector.values == [0.5, 3])
    }

    @Test func dotMergesTheIndexLists() {
        let left = SparseVector([(index: 1, value: 2), (index: 3, value: 1), (index: 9, value: 4)])
        let right = SparseVector([(index: 3, value: 5), (index: 4, value: 1), (index: 9, value: 0.5)])
        #expect(left.dot(right) == 5 + 2)
        #expect(left.dot(SparseVector()) == 0)
    }

    @Test func normalizedHasUnitLength() {
        let vector = SparseVector([(index: 1, value: 3), (index: 2, value: 4)]).normalized()
        #expect(abs(vector.norm - 1) < 1e-6)
        #expect(vector.values == [0.6, 0.8])
        #expect(SparseVector().normalized().count == 0)
    }

    @Test func blendedPartsShareTheLength() {
        let terms = SparseVector([(index: 1, value: 2), (index: 5, value: 2)])
        let both = FeatureVector.blended(dense: [3, 4], sparse: terms, denseWeight: 0.25)
        #expect(abs(both.dot(both) - 1) < 1e-5)
        let denseLength = both.dense.reduce(0) { $0 + $1 * $1 }
        #expect(abs(denseLength - 0.25) < 1e-5)
        let wordsOnly = FeatureVector.blended(dense: nil, sparse: terms)
        #expect(wordsOnly.dense.isEmpty)
        #expect(abs(wordsOnly.sparse.norm - 1) < 1e-6)
    }
}
