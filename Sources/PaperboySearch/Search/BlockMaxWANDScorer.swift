/// A disjunction of terms that skips documents which cannot beat the current top-k threshold:
/// block-max WAND (Ding & Suel, "Faster Top-k Document Retrieval Using Block-Max Indexes",
/// SIGIR 2011), after WAND (Broder et al., "Efficient Query Evaluation using a Two-Level
/// Retrieval Process", CIKM 2003).
///
/// Terms are kept sorted by their current document. The pivot is the first term at which the
/// sum of the terms' whole-segment bounds exceeds the threshold; if the bounds of the blocks
/// holding the pivot document still exceed it, the pivot document is scored (or the terms before
/// it are moved up to it); otherwise everything up to the end of the nearest block is skipped.
/// Scores are summed in clause order, as ``DisjunctionScorer`` sums them, so both give
/// identical results.
final class BlockMaxWANDScorer: Scorer {
    /// The clauses, strongly held, in clause order.
    private let clauses: [TermScorer]
    /// The same, unretained, for the hot loop (kept alive by `clauses`).
    private let terms: UnsafeMutablePointer<Unmanaged<TermScorer>>
    private let count: Int
    /// Clause indices sorted by their current document.
    private let order: UnsafeMutablePointer<Int>
    /// Each clause's current document, mirrored.
    private let docs: UnsafeMutablePointer<Int32>
    private let maxScores: UnsafeMutablePointer<Float>
    private var threshold: Float = 0
    private(set) var doc: Int32 = -1
    let maxScore: Float

    init(_ clauses: [TermScorer]) {
        self.clauses = clauses
        self.count = clauses.count
        self.terms = .allocate(capacity: clauses.count)
        self.order = .allocate(capacity: clauses.count)
        self.docs = .allocate(capacity: clauses.count)
        self.maxScores = .allocate(capacity: clauses.count)
        for (index, clause) in clauses.enumerated() {
            self.terms[index] = Unmanaged.passUnretained(clause)
            self.order[index] = index
            self.docs[index] = -1
            self.maxScores[index] = clause.maxScore
        }
        self.maxScore = clauses.reduce(0) { $0 + $1.maxScore }
    }

    deinit {
        self.terms.deallocate()
        self.order.deallocate()
        self.docs.deallocate()
        self.maxScores.deallocate()
    }

    func setMinimumCompetitiveScore(_ score: Float) {
        self.threshold = max(self.threshold, score)
    }

    @inline(__always)
    private func advanceClause(_ index: Int) {
        self.docs[index] = self.terms[index]._withUnsafeGuaranteedRef { $0.advance() }
    }

    @inline(__always)
    private func seekClause(_ index: Int, _ target: Int32) {
        self.docs[index] = self.terms[index]._withUnsafeGuaranteedRef { $0.seek(target) }
    }

    func advance() -> Int32 {
        if self.doc == -1 {
            for index in 0..<self.count { self.advanceClause(index) }
        } else {
            let current = self.doc
            for index in 0..<self.count where self.docs[index] == current { self.advanceClause(index) }
        }
        return self.nextCandidate()
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        for index in 0..<self.count where self.docs[index] < target { self.seekClause(index, target) }
        return self.nextCandidate()
    }

    func score() -> Float {
        var total: Float = 0
        for index in 0..<self.count where self.docs[index] == self.doc {
            total += self.terms[index]._withUnsafeGuaranteedRef { $0.score() }
        }
        return total
    }

    /// Insertion sort of `order` by document: the order changes little between steps.
    @inline(__always)
    private func sortByDoc() {
        var i = 1
        while i < self.count {
            let item = self.order[i]
            let key = self.docs[item]
            var j = i - 1
            while j >= 0, self.docs[self.order[j]] > key {
                self.order[j + 1] = self.order[j]
                j -= 1
            }
            self.order[j + 1] = item
            i += 1
        }
    }

    private func nextCandidate() -> Int32 {
        while true {
            self.sortByDoc()
            // The pivot: where the sum of whole-segment bounds first beats the threshold.
            var accumulated: Float = 0
            var pivot = -1
            for position in 0..<self.count {
                let clause = self.order[position]
                if self.docs[clause] == Int32.max { break }
                accumulated += self.maxScores[clause]
                if accumulated > self.threshold {
                    pivot = position
                    break
                }
            }
            guard pivot >= 0 else {
                self.doc = Int32.max
                return self.doc
            }
            let pivotDoc = self.docs[self.order[pivot]]
            var last = pivot
            while last + 1 < self.count, self.docs[self.order[last + 1]] == pivotDoc { last += 1 }

            // The blocks holding the pivot document: can they beat the threshold?
            var blockSum: Float = 0
            var nearestBlockEnd = Int32.max
            for position in 0...last {
                let (bound, lastDoc) = self.terms[self.order[position]]._withUnsafeGuaranteedRef {
                    $0.blockBound(at: pivotDoc)
                }
                blockSum += bound
                nearestBlockEnd = min(nearestBlockEnd, lastDoc)
            }
            if blockSum <= self.threshold {
                // Nothing up to the nearest block end can win: skip past it (but not past the
                // next term's document, which the bounds above did not cover).
                var next = nearestBlockEnd == Int32.max ? Int32.max : nearestBlockEnd + 1
                if last + 1 < self.count { next = min(next, self.docs[self.order[last + 1]]) }
                next = max(next, pivotDoc + 1)
                self.moveBestTerm(before: last + 1, to: next)
                continue
            }
            if self.docs[self.order[0]] == pivotDoc {
                self.doc = pivotDoc
                return pivotDoc
            }
            // Move a term before the pivot up to the pivot document.
            self.moveBestTerm(before: pivot, to: pivotDoc)
        }
    }

    /// Moves the term with the largest bound among the first `limit` in doc order (that is
    /// before `target`) to `target`.
    @inline(__always)
    private func moveBestTerm(before limit: Int, to target: Int32) {
        var best = -1
        for position in 0..<limit {
            let clause = self.order[position]
            if self.docs[clause] < target, best < 0 || self.maxScores[clause] > self.maxScores[best] { best = clause }
        }
        if best >= 0 { self.seekClause(best, target) }
    }
}
