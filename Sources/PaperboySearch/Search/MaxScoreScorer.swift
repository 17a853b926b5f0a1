/// A disjunction of terms that skips documents which cannot beat the current top-k threshold:
/// MaxScore (Turtle & Flood, "Query Evaluation: Strategies and Optimizations", IP&M 1995) over
/// windows of documents with block-max bounds (Ding & Suel, SIGIR 2011), as Lucene's
/// `MaxScoreBulkScorer` does.
///
/// The documents are taken a window at a time; a window ends where the first block of the terms
/// that drove the last one ends. In a window each term is bounded by the largest bound of its
/// blocks there, and the terms are ordered by that bound. The longest prefix of that order whose
/// bounds sum to at most the threshold is *non-essential*: a document matching only those terms
/// cannot enter the top, so only the essential terms' documents are candidates, and a window
/// whose bounds all together fall short is skipped whole. A candidate's non-essential terms are
/// probed, most valuable first, until what remains cannot lift it over the threshold. Bounding
/// per window rather than per segment lets a term with one strong block stay non-essential
/// everywhere else, which is what keeps long queries fast. Scores are summed in clause order, as
/// ``DisjunctionScorer`` sums them, so both give identical results.
final class MaxScoreScorer: Scorer {
    private let clauses: [TermScorer]
    private let terms: UnsafeMutablePointer<Unmanaged<TermScorer>>
    private let count: Int
    /// Clause indices by their bound in the window, smallest first.
    private let byBound: UnsafeMutablePointer<Int>
    /// Each clause's bound in the window, by clause index.
    private let windowBound: UnsafeMutablePointer<Float>
    /// Sum of the window bounds of `byBound[0...i]`.
    private let boundPrefix: UnsafeMutablePointer<Float>
    private let docs: UnsafeMutablePointer<Int32>
    /// `byBound[essentialStart...]` are the essential terms.
    private var essentialStart = 0
    /// The window: `windowStart...windowEnd`; `windowEnd` is -1 before the first one, and
    /// `Int32.max` while there is no threshold (every term is essential then, and bounds are not
    /// worth their cost).
    private var windowStart: Int32 = 0
    private var windowEnd: Int32 = -1
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
        self.windowBound = .allocate(capacity: clauses.count)
        self.boundPrefix = .allocate(capacity: clauses.count)
        self.docs = .allocate(capacity: clauses.count)
        var sum: Float = 0
        for (index, clause) in clauses.enumerated() {
            self.terms[index] = Unmanaged.passUnretained(clause)
            self.docs[index] = -1
            self.byBound[index] = index
            self.windowBound[index] = clause.maxScore
            sum += clause.maxScore
        }
        self.maxScore = sum
    }

    deinit {
        self.terms.deallocate()
        self.byBound.deallocate()
        self.windowBound.deallocate()
        self.boundPrefix.deallocate()
        self.docs.deallocate()
    }

    func setMinimumCompetitiveScore(_ score: Float) {
        guard score > self.threshold else { return }
        self.threshold = score
        if self.windowEnd == Int32.max {
            // The first threshold: from the next candidate on, windows with bounds.
            self.windowEnd = -1
            self.windowStart = max(0, self.doc)
        } else {
            self.partition()
        }
    }

    @inline(__always)
    private func term(_ index: Int) -> Unmanaged<TermScorer> { self.terms[index] }

    func advance() -> Int32 {
        if self.doc == -1 {
            for index in 0..<self.count {
                self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.advance() }
            }
            self.windowEnd = Int32.max
        } else {
            self.advanceEssential(past: self.doc)
        }
        return self.nextCandidate()
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        if self.doc == -1 { self.windowEnd = Int32.max }
        for index in 0..<self.count where self.docs[index] < target {
            self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(target) }
        }
        if self.windowEnd != Int32.max, target > self.windowEnd {
            self.windowStart = target
            self.windowEnd = -1
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

    /// Sorts the terms by their window bounds and finds the essential ones for the threshold.
    private func partition() {
        // Insertion sort: a query has few terms, and the order changes little between windows.
        for position in 1..<max(1, self.count) {
            let index = self.byBound[position]
            let bound = self.windowBound[index]
            var hole = position
            while hole > 0, self.windowBound[self.byBound[hole - 1]] > bound {
                self.byBound[hole] = self.byBound[hole - 1]
                hole -= 1
            }
            self.byBound[hole] = index
        }
        var sum: Float = 0
        for position in 0..<self.count {
            sum += self.windowBound[self.byBound[position]]
            self.boundPrefix[position] = sum
        }
        let limit = self.threshold * Self.margin
        self.essentialStart = 0
        while self.essentialStart < self.count - 1, self.boundPrefix[self.essentialStart] <= limit {
            self.essentialStart += 1
        }
    }

    /// Starts the window at `windowStart`: ends it where the first block of the terms essential
    /// so far ends, bounds every term in it and partitions. Returns false when nothing in the
    /// window can compete (it is then skipped).
    private func openWindow() -> Bool {
        var end = Int32.max
        for position in self.essentialStart..<self.count {
            let index = self.byBound[position]
            let from = max(self.docs[index], self.windowStart)
            guard from != Int32.max else { continue }
            end = min(end, self.term(index)._withUnsafeGuaranteedRef { $0.blockEnd(at: from) })
        }
        self.windowEnd = end
        var total: Float = 0
        for index in 0..<self.count {
            let from = max(self.docs[index], self.windowStart)
            let bound =
                from > end || from == Int32.max
                ? 0 : self.term(index)._withUnsafeGuaranteedRef { $0.bound(from: from, through: end) }
            self.windowBound[index] = bound
            total += bound
        }
        guard total > self.threshold * Self.margin else { return false }
        self.partition()
        // Terms that were not essential before may stand behind the window.
        for position in self.essentialStart..<self.count {
            let index = self.byBound[position]
            if self.docs[index] < self.windowStart {
                self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(self.windowStart) }
            }
        }
        return true
    }

    /// Leaves the window for the one after it; past the last window, ends the scorer (`doc` is
    /// `Int32.max`) and returns false.
    private func moveToNextWindow() -> Bool {
        guard self.windowEnd != Int32.max else {
            self.doc = Int32.max
            return false
        }
        self.windowStart = self.windowEnd + 1
        self.windowEnd = -1
        return true
    }

    private func nextCandidate() -> Int32 {
        while true {
            if self.windowEnd == -1 {
                if !self.openWindow() {
                    guard self.moveToNextWindow() else { return self.doc }
                    continue
                }
            }
            // The candidate: the smallest document of an essential term.
            var candidate = Int32.max
            for position in self.essentialStart..<self.count {
                candidate = min(candidate, self.docs[self.byBound[position]])
            }
            if candidate > self.windowEnd || candidate == Int32.max {
                guard self.moveToNextWindow() else { return self.doc }
                continue
            }
            let limit = self.threshold * Self.margin
            // The essential terms' exact scores at the candidate.
            var partial: Float = 0
            for position in self.essentialStart..<self.count {
                let index = self.byBound[position]
                if self.docs[index] == candidate { partial += self.term(index)._withUnsafeGuaranteedRef { $0.score() } }
            }
            // Probe the non-essential terms, most valuable first, while they can still matter.
            var position = self.essentialStart - 1
            var pruned = position >= 0 && partial + self.boundPrefix[position] <= limit
            while !pruned, position >= 0 {
                let index = self.byBound[position]
                if self.docs[index] < candidate {
                    self.docs[index] = self.term(index)._withUnsafeGuaranteedRef { $0.seek(candidate) }
                }
                if self.docs[index] == candidate { partial += self.term(index)._withUnsafeGuaranteedRef { $0.score() } }
                position -= 1
                pruned = position >= 0 && partial + self.boundPrefix[position] <= limit
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
