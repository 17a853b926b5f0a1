/// A disjunction of terms that skips documents which cannot beat the current top-k threshold:
/// MaxScore (Turtle & Flood, "Query Evaluation: Strategies and Optimizations", IP&M 1995) with
/// block-max bounds (Ding & Suel, SIGIR 2011), as Lucene's `MaxScoreBulkScorer` does.
///
/// Terms are ordered by their whole-segment bound. The longest prefix of that order whose bounds
/// sum to at most the threshold is *non-essential*: a document matching only those terms cannot
/// enter the top, so only the essential terms' documents are candidates. A candidate whose block
/// bounds already fall short is skipped (with every essential term's block, when the whole
/// window falls short); otherwise the non-essential terms are probed, most valuable first, until
/// what remains cannot lift it over the threshold. Scores are summed in clause order, as
/// ``DisjunctionScorer`` sums them, so both give identical results.
final class MaxScoreScorer: Scorer {
    private let clauses: [TermScorer]
    private let terms: UnsafeMutablePointer<Unmanaged<TermScorer>>
    private let count: Int
    /// Clause indices by whole-segment bound, smallest first.
    private let byBound: UnsafeMutablePointer<Int>
    /// Sum of the bounds of `byBound[0...i]`.
    private let boundPrefix: UnsafeMutablePointer<Float>
    private let docs: UnsafeMutablePointer<Int32>
    /// `byBound[essentialStart...]` are the essential terms.
    private var essentialStart = 0
    private var threshold: Float = 0
    private(set) var doc: Int32 = -1
    let maxScore: Float

    /// Sums computed in another order than the final one may differ in the last bits; prune only
    /// with this much room.
    private static let margin: Float = 1 - 1e-5

    init(_ clauses: [TermScorer]) {
        self.clauses = clauses
        self.count = clauses.count
        self.terms = .allocate(capacity: clauses.count)
        self.byBound = .allocate(capacity: clauses.count)
        self.boundPrefix = .allocate(capacity: clauses.count)
        self.docs = .allocate(capacity: clauses.count)
        for (index, clause) in clauses.enumerated() {
            self.terms[index] = Unmanaged.passUnretained(clause)
            self.docs[index] = -1
        }
        let order = clauses.indices.sorted { clauses[$0].maxScore < clauses[$1].maxScore }
        var sum: Float = 0
        for (position, index) in order.enumerated() {
            self.byBound[position] = index
            sum += clauses[index].maxScore
            self.boundPrefix[position] = sum
        }
        self.maxScore = sum
    }

    deinit {
        self.terms.deallocate()
        self.byBound.deallocate()
        self.boundPrefix.deallocate()
        self.docs.deallocate()
    }

    func setMinimumCompetitiveScore(_ score: Float) {
        guard score > self.threshold else { return }
        self.threshold = score
        while self.essentialStart < self.count - 1, self.boundPrefix[self.essentialStart] <= score * Self.margin {
            self.essentialStart += 1
        }
    }

    @inline(__always)
    private func term(_ index: Int) -> Unmanaged<TermScorer> { self.terms[index] }

    func advance() -> Int32 {
        if self.doc == -1 {
            for index in 0..<self.count {
                self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.advance() }
            }
        } else {
            self.advanceEssential(past: self.doc)
        }
        return self.nextCandidate()
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        for index in 0..<self.count where self.docs[index] < target {
            self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(target) }
        }
        return self.nextCandidate()
    }

    func score() -> Float {
        var total: Float = 0
        for index in 0..<self.count where self.docs[index] == self.doc {
            total += self.term(index)._withUnsafeGuaranteedRef { $0.score() }
        }
        return total
    }

    /// Moves the essential terms standing on `doc` (or before it) to their next document.
    @inline(__always)
    private func advanceEssential(past doc: Int32) {
        for position in self.essentialStart..<self.count {
            let index = self.byBound[position]
            if self.docs[index] <= doc {
                self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(doc + 1) }
            }
        }
    }

    private func nextCandidate() -> Int32 {
        while true {
            // The candidate: the smallest document of an essential term.
            var candidate = Int32.max
            for position in self.essentialStart..<self.count {
                candidate = min(candidate, self.docs[self.byBound[position]])
            }
            guard candidate != Int32.max else {
                self.doc = Int32.max
                return self.doc
            }
            let limit = self.threshold * Self.margin
            let nonEssentialBound = self.essentialStart > 0 ? self.boundPrefix[self.essentialStart - 1] : 0

            // Block bounds of the essential terms from the candidate on: if the window up to the
            // nearest block end cannot win, skip it whole.
            var windowBound = nonEssentialBound
            var windowEnd = Int32.max
            for position in self.essentialStart..<self.count {
                let index = self.byBound[position]
                let (bound, lastDoc) = self.term(index)._withUnsafeGuaranteedRef { $0.blockBound(at: candidate) }
                windowBound += bound
                windowEnd = min(windowEnd, lastDoc)
            }
            if windowBound <= limit {
                guard windowEnd != Int32.max else {
                    self.doc = Int32.max
                    return self.doc
                }
                for position in self.essentialStart..<self.count {
                    let index = self.byBound[position]
                    if self.docs[index] <= windowEnd {
                        self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(windowEnd + 1) }
                    }
                }
                continue
            }

            // The essential terms' exact scores at the candidate.
            var partial: Float = 0
            for position in self.essentialStart..<self.count {
                let index = self.byBound[position]
                if self.docs[index] == candidate { partial += self.term(index)._withUnsafeGuaranteedRef { $0.score() } }
            }
            // Probe the non-essential terms, most valuable first, while they can still matter.
            var remaining = nonEssentialBound
            var pruned = partial + remaining <= limit
            var position = self.essentialStart - 1
            while !pruned, position >= 0 {
                let index = self.byBound[position]
                let blockBound = self.term(index)._withUnsafeGuaranteedRef { $0.blockBound(at: candidate).bound }
                remaining -= self.clauses[index].maxScore
                if partial + max(0, remaining) + blockBound <= limit {
                    pruned = true
                    break
                }
                if self.docs[index] < candidate {
                    self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(candidate) }
                }
                if self.docs[index] == candidate { partial += self.term(index)._withUnsafeGuaranteedRef { $0.score() } }
                pruned = partial + max(0, remaining) <= limit
                position -= 1
            }
            if !pruned {
                // Every term stands on the candidate or beyond it: score() sums in clause order.
                self.doc = candidate
                return candidate
            }
            self.advanceEssential(past: candidate)
        }
    }
}
