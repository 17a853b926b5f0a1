/// Combining ranked lists of one query into one: pure functions, so that the evaluation harness
/// and the site fuse the same way.
public enum RankFusion {
    /// Reciprocal rank fusion's constant (Cormack et al. 2009): a paper at rank r of a list
    /// scores 1 / (k + r).
    public static let reciprocalRankConstant: Double = 60

    /// The keyword list's weight in ``hybrid(keyword:semantic:)``: equal shares, not tuned
    /// (on nfcorpus and cranfield, 0.5 measured above reciprocal rank fusion and above 0.7).
    public static let keywordWeight: Double = 0.5

    /// The fusion hybrid search uses: ``convex(_:_:weight:)`` with ``keywordWeight``, which
    /// measured better than ``reciprocal(_:k:)`` on both test collections (`paperboy eval beir
    /// --mode all --fusion rrf|convex`).
    public static func hybrid(keyword: [RetrievedList.Hit], semantic: [RetrievedList.Hit]) -> [RetrievedList.Hit] {
        Self.convex(keyword, semantic, weight: Self.keywordWeight)
    }

    /// Reciprocal rank fusion: each paper scores the sum over the lists of 1 / (k + rank), rank
    /// counted from 1; ties go to the paper first met (list by list, best first).
    public static func reciprocal(
        _ lists: [[RetrievedList.Hit]], k: Double = reciprocalRankConstant
    )
        -> [RetrievedList.Hit]
    {
        var scores: [String: Double] = [:]
        var order: [String] = []
        for list in lists {
            for (rank, hit) in list.enumerated() {
                if scores[hit.key] == nil { order.append(hit.key) }
                scores[hit.key, default: 0] += 1 / (k + Double(rank + 1))
            }
        }
        return Self.ranked(order, scores)
    }

    /// A convex combination of scores normalised to [0, 1] per list (min-max): `weight` for the
    /// first list, 1 − `weight` for the second; a paper absent from a list gets 0 there.
    public static func convex(
        _ first: [RetrievedList.Hit], _ second: [RetrievedList.Hit], weight: Double
    )
        -> [RetrievedList.Hit]
    {
        var scores: [String: Double] = [:]
        var order: [String] = []
        for (list, share) in [(first, weight), (second, 1 - weight)] {
            guard let high = list.map(\.score).max(), let low = list.map(\.score).min() else { continue }
            let span = Double(high - low)
            for hit in list {
                if scores[hit.key] == nil { order.append(hit.key) }
                let normalised = span > 0 ? Double(hit.score - low) / span : 1
                scores[hit.key, default: 0] += share * normalised
            }
        }
        return Self.ranked(order, scores)
    }

    private static func ranked(_ order: [String], _ scores: [String: Double]) -> [RetrievedList.Hit] {
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.sorted { a, b in
            let (x, y) = (scores[a]!, scores[b]!)
            return x != y ? x > y : position[a]! < position[b]!
        }.map { RetrievedList.Hit(key: $0, score: Float(scores[$0]!)) }
    }
}
