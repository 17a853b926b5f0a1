/// Picks a list that is both relevant and varied: maximal marginal relevance (Carbonell &
/// Goldstein, SIGIR 1998). Each pick is the candidate with the best
/// `λ × relevance − (1 − λ) × (largest similarity to one already picked)`, so a near-duplicate of
/// a picked item falls behind a slightly weaker item on another subject.
public enum MaximalMarginalRelevance {
    /// The indices of at most `limit` candidates in the order picked.
    ///
    /// - Parameters:
    ///   - relevance: each candidate's relevance, on a scale comparable to the similarities
    ///     (for example squashed to 0…1).
    ///   - lambda: 1 ranks by relevance alone; lower values favour variety.
    ///   - similarity: how alike candidates `i` and `j` are (cosine similarity, 0…1).
    public static func select(
        relevance: [Float], limit: Int, lambda: Float = 0.7, similarity: (Int, Int) -> Float
    ) -> [Int] {
        let wanted = min(max(0, limit), relevance.count)
        var picked: [Int] = []
        picked.reserveCapacity(wanted)
        var isPicked = Array(repeating: false, count: relevance.count)
        // The largest similarity of each candidate to anything picked so far.
        var nearest = Array(repeating: -Float.infinity, count: relevance.count)
        while picked.count < wanted {
            var best = -1
            var bestValue = -Float.infinity
            for candidate in relevance.indices where !isPicked[candidate] {
                let penalty = picked.isEmpty ? 0 : max(0, nearest[candidate])
                let value = lambda * relevance[candidate] - (1 - lambda) * penalty
                if value > bestValue {
                    best = candidate
                    bestValue = value
                }
            }
            guard best >= 0 else { break }
            picked.append(best)
            isPicked[best] = true
            for candidate in relevance.indices where !isPicked[candidate] {
                nearest[candidate] = max(nearest[candidate], similarity(candidate, best))
            }
        }
        return picked
    }
}
