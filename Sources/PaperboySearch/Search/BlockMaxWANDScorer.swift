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
    private let clauses: [TermScorer]
    private var sorted: [TermScorer]
    private var threshold: Float = 0
    private(set) var doc: Int32 = -1
    let maxScore: Float

    init(_ clauses: [TermScorer]) {
        self.clauses = clauses
        self.sorted = clauses
        self.maxScore = clauses.reduce(0) { $0 + $1.maxScore }
    }

    func setMinimumCompetitiveScore(_ score: Float) {
        self.threshold = max(self.threshold, score)
    }

    func advance() -> Int32 {
        if self.doc == -1 {
            for clause in self.clauses { _ = clause.advance() }
        } else {
            let current = self.doc
            for clause in self.sorted where clause.doc == current { _ = clause.advance() }
        }
        return self.nextCandidate()
    }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        for clause in self.clauses where clause.doc < target { _ = clause.seek(target) }
        return self.nextCandidate()
    }

    func score() -> Float {
        var total: Float = 0
        for clause in self.clauses where clause.doc == self.doc { total += clause.score() }
        return total
    }

    /// Insertion sort: the order changes little between steps.
    private func sortByDoc() {
        for i in 1..<max(1, self.sorted.count) {
            let item = self.sorted[i]
            var j = i - 1
            while j >= 0, self.sorted[j].doc > item.doc {
                self.sorted[j + 1] = self.sorted[j]
                j -= 1
            }
            self.sorted[j + 1] = item
        }
    }

    private func nextCandidate() -> Int32 {
        while true {
            self.sortByDoc()
            // The pivot: where the sum of whole-segment bounds first beats the threshold.
            var accumulated: Float = 0
            var pivot = -1
            for (index, clause) in self.sorted.enumerated() {
                if clause.doc == Int32.max { break }
                accumulated += clause.maxScore
                if accumulated > self.threshold {
                    pivot = index
                    break
                }
            }
            guard pivot >= 0 else {
                self.doc = Int32.max
                return self.doc
            }
            let pivotDoc = self.sorted[pivot].doc
            var last = pivot
            while last + 1 < self.sorted.count, self.sorted[last + 1].doc == pivotDoc { last += 1 }

            // The blocks holding the pivot document: can they beat the threshold?
            var blockSum: Float = 0
            var nearestBlockEnd = Int32.max
            for index in 0...last {
                let (bound, lastDoc) = self.sorted[index].blockBound(at: pivotDoc)
                blockSum += bound
                nearestBlockEnd = min(nearestBlockEnd, lastDoc)
            }
            if blockSum <= self.threshold {
                // Nothing up to the nearest block end can win: skip past it (but not past the
                // next term's document, which the bounds above did not cover).
                var next = nearestBlockEnd == Int32.max ? Int32.max : nearestBlockEnd + 1
                if last + 1 < self.sorted.count { next = min(next, self.sorted[last + 1].doc) }
                next = max(next, pivotDoc + 1)
                self.advanceOne(upTo: last, to: next)
                continue
            }
            if self.sorted[0].doc == pivotDoc {
                self.doc = pivotDoc
                return pivotDoc
            }
            // Move a term before the pivot up to the pivot document: the one with the largest bound.
            var best = 0
            for index in 0..<pivot
            where self.sorted[index].doc < pivotDoc && self.sorted[index].maxScore > self.sorted[best].maxScore {
                best = index
            }
            _ = self.sorted[best].seek(pivotDoc)
        }
    }

    /// Moves the term with the largest bound among the first `last + 1` (that is before
    /// `target`) to `target`.
    private func advanceOne(upTo last: Int, to target: Int32) {
        var best = -1
        for index in 0...last where self.sorted[index].doc < target {
            if best < 0 || self.sorted[index].maxScore > self.sorted[best].maxScore { best = index }
        }
        if best >= 0 { _ = self.sorted[best].seek(target) }
    }
}
