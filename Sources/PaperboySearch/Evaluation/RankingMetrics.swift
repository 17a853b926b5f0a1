import Foundation

/// Ranking-quality measures over graded relevance judgments, as trec_eval and BEIR compute them.
public enum RankingMetrics {
    /// Normalised discounted cumulative gain at `k` (Järvelin & Kekäläinen 2002), with the grade as
    /// the gain and log2(rank + 1) as the discount; 0 when the query has no relevant document.
    public static func ndcg(ranking: [String], judgments: [String: Int], k: Int) -> Double {
        func dcg(_ gains: [Int]) -> Double {
            gains.prefix(k).enumerated().reduce(0) { $0 + Double($1.element) / log2(Double($1.offset) + 2) }
        }
        let ideal = dcg(judgments.values.filter { $0 > 0 }.sorted(by: >))
        guard ideal > 0 else { return 0 }
        return dcg(ranking.map { max(0, judgments[$0] ?? 0) }) / ideal
    }

    /// The share of relevant documents found in the first `k`.
    public static func recall(ranking: [String], judgments: [String: Int], k: Int) -> Double {
        let relevant = judgments.filter { $0.value > 0 }
        guard !relevant.isEmpty else { return 0 }
        return Double(ranking.prefix(k).filter { (relevant[$0] ?? 0) > 0 }.count) / Double(relevant.count)
    }

    /// The reciprocal rank of the first relevant document within the first `k`, else 0.
    public static func reciprocalRank(ranking: [String], judgments: [String: Int], k: Int) -> Double {
        guard let rank = ranking.prefix(k).firstIndex(where: { (judgments[$0] ?? 0) > 0 }) else { return 0 }
        return 1 / Double(rank + 1)
    }
}
