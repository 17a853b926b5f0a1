import PaperboyLearning
import Testing

@Suite struct MaximalMarginalRelevanceTests {
    /// Candidates 0 and 1 are near-duplicates; 2 is on another subject, slightly less relevant.
    private static let relevance: [Float] = [0.9, 0.88, 0.8, 0.1]
    private static func similarity(_ a: Int, _ b: Int) -> Float {
        Set([a, b]) == [0, 1] ? 0.95 : 0.1
    }

    @Test func aNearDuplicateFallsBehindAnotherSubject() {
        let order = MaximalMarginalRelevance.select(
            relevance: Self.relevance, limit: 4, lambda: 0.5, similarity: Self.similarity)
        // After 0 and 2: the duplicate 1 is worth 0.5 × 0.88 − 0.5 × 0.95 < 0, the weak but new 3
        // is worth 0.5 × 0.1 − 0.5 × 0.1 = 0.
        #expect(order == [0, 2, 3, 1])
    }

    @Test func lambdaOneIsRelevanceAlone() {
        let order = MaximalMarginalRelevance.select(
            relevance: Self.relevance, limit: 3, lambda: 1, similarity: Self.similarity)
        #expect(order == [0, 1, 2])
    }

    @Test func limitsAreKept() {
        #expect(MaximalMarginalRelevance.select(relevance: [], limit: 3) { _, _ in 0 }.isEmpty)
        #expect(
            MaximalMarginalRelevance.select(relevance: Self.relevance, limit: 0, similarity: Self.similarity).isEmpty)
        #expect(MaximalMarginalRelevance.select(relevance: [1], limit: 5) { _, _ in 0 } == [0])
    }
}
