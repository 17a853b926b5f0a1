import Foundation
import PaperboySearch
import Testing

@Suite("Ranking metrics")
struct RankingMetricsTests {
    /// Judgments: a (grade 2), b (1), c (0, judged not relevant); d is unjudged.
    static let judgments = ["a": 2, "b": 1, "c": 0]

    @Test("nDCG@k, worked by hand")
    func ndcg() {
        // Ideal order a, b: DCG = 2/log2(2) + 1/log2(3) = 2 + 0.630930 = 2.630930.
        // Ranking d, b, a: DCG = 0 + 1/log2(3) + 2/log2(4) = 0.630930 + 1 = 1.630930, and 1.630930 / 2.630930 = 0.619906.
        #expect(abs(RankingMetrics.ndcg(ranking: ["d", "b", "a"], judgments: Self.judgments, k: 10) - 0.619906) < 1e-6)
        #expect(RankingMetrics.ndcg(ranking: ["a", "b", "c"], judgments: Self.judgments, k: 10) == 1)
        // Cut at 1: only d counts, which is not relevant.
        #expect(RankingMetrics.ndcg(ranking: ["d", "a"], judgments: Self.judgments, k: 1) == 0)
        #expect(RankingMetrics.ndcg(ranking: ["a"], judgments: [:], k: 10) == 0)
    }

    @Test("recall and reciprocal rank")
    func recallAndMRR() {
        #expect(RankingMetrics.recall(ranking: ["d", "b"], judgments: Self.judgments, k: 100) == 0.5)
        #expect(RankingMetrics.recall(ranking: ["c", "d"], judgments: Self.judgments, k: 100) == 0)
        #expect(
            RankingMetrics.reciprocalRank(ranking: ["d", "c", "b", "a"], judgments: Self.judgments, k: 10) == 1.0 / 3)
        #expect(RankingMetrics.reciprocalRank(ranking: ["d", "c", "b"], judgments: Self.judgments, k: 2) == 0)
    }
}
