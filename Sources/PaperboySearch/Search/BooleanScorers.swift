/// Matches documents matched by any sub-scorer; scores the sum of those that match.
final class DisjunctionScorer: Scorer {
    private let subs: [any Scorer]
    /// Indices into `subs`, a min-heap on their current documents.
    private var heap: [Int] = []
    private(set) var doc: Int32 = -1
    private var started = false

    init(_ subs: [any Scorer]) {
        self.subs = subs
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
        self.sumScores(at: 0, into: &total)
        return total
    }

    /// Adds the scores of the heap entries on the current document under `node`.
    private func sumScores(at node: Int, into total: inout Float) {
        guard node < self.heap.count, self.subs[self.heap[node]].doc == self.doc else { return }
        total += self.subs[self.heap[node]].score()
        self.sumScores(at: 2 * node + 1, into: &total)
        self.sumScores(at: 2 * node + 2, into: &total)
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

/// Matches documents matched by every sub-scorer (leapfrogging from the rarest); scores the sum.
final class ConjunctionScorer: Scorer {
    private let subs: [any Scorer]
    private(set) var doc: Int32 = -1

    init(_ subs: [any Scorer]) {
        self.subs = subs.sorted { Self.cost($0) < Self.cost($1) }
    }

    private static func cost(_ scorer: any Scorer) -> Int {
        (scorer as? TermScorer)?.cost ?? Int.max
    }

    func advance() -> Int32 {
        self.align(self.subs[0].advance())
    }

    func seek(_ target: Int32) -> Int32 {
        self.align(self.subs[0].seek(target))
    }

    /// Moves every sub-scorer to the first document ≥ `target` that all of them match.
    private func align(_ target: Int32) -> Int32 {
        var target = target
        var index = 1
        while target != Self.end, index < self.subs.count {
            let doc = self.subs[index].doc < target ? self.subs[index].seek(target) : self.subs[index].doc
            if doc == target {
                index += 1
            } else {
                target = self.subs[0].seek(doc)
                index = 1
            }
        }
        self.doc = target
        return target
    }

    func score() -> Float {
        self.subs.reduce(0) { $0 + $1.score() }
    }
}

/// Matches what `required` matches; adds the score of `optional` where it also matches.
final class RequiredOptionalScorer: Scorer {
    private let required: any Scorer
    private let optional: any Scorer

    init(required: any Scorer, optional: any Scorer) {
        self.required = required
        self.optional = optional
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
}
