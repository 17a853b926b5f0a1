/// Matches documents matched by any sub-scorer; scores the sum of those that match, in clause
/// order. Exhaustive: it visits every match (see ``MaxScoreScorer`` for pruning).
final class DisjunctionScorer: Scorer {
    private let subs: [any Scorer]
    /// Indices into `subs`, a min-heap on their current documents.
    private var heap: [Int] = []
    private(set) var doc: Int32 = -1
    private var started = false
    let maxScore: Float

    init(_ subs: [any Scorer]) {
        self.subs = subs
        self.maxScore = subs.reduce(0) { $0 + $1.maxScore }
    }

    private func start() {
        self.started = true
        for index in self.subs.indices where self.subs[index].advance() != Self.end {
            self.heap.append(index)
            self.siftUp(self.heap.count - 1)
        }
    }

    func advance() -> Int32 {
        if !self.started {
            self.start()
        } else {
            let current = self.doc
            while let top = self.heap.first, self.subs[top].doc == current {
                self.replaceTop(after: self.subs[top].advance())
            }
        }
        self.doc = self.heap.first.map { self.subs[$0].doc } ?? Self.end
        return self.doc
    }

    func seek(_ target: Int32) -> Int32 {
        if !self.started { self.start() }
        while let top = self.heap.first, self.subs[top].doc < target {
            self.replaceTop(after: self.subs[top].seek(target))
        }
        self.doc = self.heap.first.map { self.subs[$0].doc } ?? Self.end
        return self.doc
    }

    func score() -> Float {
        var total: Float = 0
        for sub in self.subs where sub.doc == self.doc { total += sub.score() }
        return total
    }

    private func replaceTop(after doc: Int32) {
        if doc == Self.end {
            self.heap[0] = self.heap[self.heap.count - 1]
            self.heap.removeLast()
        }
        if !self.heap.isEmpty { self.siftDown(0) }
    }

    private func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.subs[self.heap[child]].doc < self.subs[self.heap[parent]].doc else { break }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < self.heap.count, self.subs[self.heap[left]].doc < self.subs[self.heap[smallest]].doc {
                smallest = left
            }
            if right < self.heap.count, self.subs[self.heap[right]].doc < self.subs[self.heap[smallest]].doc {
                smallest = right
            }
            if smallest == parent { return }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// Matches documents matched by every sub-scorer (leapfrogging from the rarest); scores the sum
/// in clause order.
final class ConjunctionScorer: Scorer {
    private let subs: [any Scorer]
    /// `subs` by cost, the rarest first: the order of leapfrogging.
    private let lead: [any Scorer]
    private(set) var doc: Int32 = -1
    let maxScore: Float

    init(_ subs: [any Scorer]) {
        self.subs = subs
        self.lead = subs.sorted { Self.cost($0) < Self.cost($1) }
        self.maxScore = subs.reduce(0) { $0 + $1.maxScore }
    }

    private static func cost(_ scorer: any Scorer) -> Int {
        (scorer as? TermScorer)?.cursor.documentFrequency ?? (scorer as? KeywordScorer)?.cost ?? Int.max
    }

    func advance() -> Int32 {
        self.align(self.lead[0].advance())
    }

    func seek(_ target: Int32) -> Int32 {
        self.align(self.lead[0].seek(target))
    }

    /// Moves every sub-scorer to the first document ≥ `target` that all of them match.
    private func align(_ target: Int32) -> Int32 {
        var target = target
        var index = 1
        while target != Self.end, index < self.lead.count {
            let doc = self.lead[index].doc < target ? self.lead[index].seek(target) : self.lead[index].doc
            if doc == target {
                index += 1
            } else {
                target = self.lead[0].seek(doc)
                index = 1
            }
        }
        self.doc = target
        return target
    }

    func score() -> Float {
        var total: Float = 0
        for sub in self.subs { total += sub.score() }
        return total
    }

    func setMinimumCompetitiveScore(_ score: Float) {
        // Only one scoring clause with zero-scoring filters beside it can prune on its own.
        let scoring = self.subs.filter { $0.maxScore > 0 }
        if scoring.count == 1 { scoring[0].setMinimumCompetitiveScore(score) }
    }
}

/// Matches what `required` matches; adds the score of `optional` where it also matches.
final class RequiredOptionalScorer: Scorer {
    private let required: any Scorer
    private let optional: any Scorer
    let maxScore: Float

    init(required: any Scorer, optional: any Scorer) {
        self.required = required
        self.optional = optional
        self.maxScore = required.maxScore + optional.maxScore
    }

    var doc: Int32 { self.required.doc }

    func advance() -> Int32 { self.required.advance() }

    func seek(_ target: Int32) -> Int32 { self.required.seek(target) }

    func score() -> Float {
        let doc = self.required.doc
        var score = self.required.score()
        let optionalDoc = self.optional.doc < doc ? self.optional.seek(doc) : self.optional.doc
        if optionalDoc == doc { score += self.optional.score() }
        return score
    }
}

/// Matches what `main` matches unless `excluded` matches it too.
final class ExclusionScorer: Scorer {
    private let main: any Scorer
    private let excluded: any Scorer

    init(_ main: any Scorer, excluded: any Scorer) {
        self.main = main
        self.excluded = excluded
    }

    var doc: Int32 { self.main.doc }
    var maxScore: Float { self.main.maxScore }

    func advance() -> Int32 { self.skipExcluded(self.main.advance()) }

    func seek(_ target: Int32) -> Int32 { self.skipExcluded(self.main.seek(target)) }

    private func skipExcluded(_ doc: Int32) -> Int32 {
        var doc = doc
        while doc != Self.end {
            let excludedDoc = self.excluded.doc < doc ? self.excluded.seek(doc) : self.excluded.doc
            if excludedDoc != doc { return doc }
            doc = self.main.advance()
        }
        return doc
    }

    func score() -> Float { self.main.score() }

    func setMinimumCompetitiveScore(_ score: Float) {
        self.main.setMinimumCompetitiveScore(score)
    }
}
