/// Receives the matches of a search, segment by segment.
public protocol Collector {
    /// Called before the matches of the segment with this ordinal.
    mutating func setSegment(_ ordinal: Int)
    /// Called with each match, in document order within a segment.
    mutating func collect(doc: Int32, score: Float)
}

/// Keeps the `limit` best-scoring matches in a min-heap.
public struct TopScoreCollector: Collector {
    private let limit: Int
    private var heap: [ScoreDoc] = []
    private var segment = 0
    /// How many matches were seen.
    public private(set) var totalHits = 0
    /// False once pruning may have skipped matches.
    public private(set) var totalHitsIsExact = true

    /// Creates a collector for the best `limit` matches.
    public init(limit: Int) {
        self.limit = max(0, limit)
        self.heap.reserveCapacity(self.limit)
    }

    public mutating func setSegment(_ ordinal: Int) {
        self.segment = ordinal
    }

    public mutating func collect(doc: Int32, score: Float) {
        self.totalHits += 1
        guard self.limit > 0 else { return }
        let hit = ScoreDoc(address: DocAddress(segment: self.segment, doc: doc), score: score)
        if self.heap.count < self.limit {
            self.heap.append(hit)
            self.siftUp(self.heap.count - 1)
        } else if hit.ranksAbove(self.heap[0]) {
            self.heap[0] = hit
            self.siftDown(0)
        }
    }

    /// Records that pruning may have skipped matches, so ``totalHits`` is a lower bound.
    public mutating func markInexact() {
        self.totalHitsIsExact = false
    }

    /// The lowest score that still enters the top, or `nil` while there is room.
    public var threshold: Float? { self.heap.count == self.limit ? self.heap.first?.score : nil }

    /// The collected hits, best first.
    public func topDocs(searcher: Searcher) -> TopDocs {
        let sorted = self.heap.sorted { $0.ranksAbove($1) }
        return TopDocs(
            totalHits: self.totalHits,
            totalHitsIsExact: self.totalHitsIsExact,
            hits: sorted.map { TopDocs.Hit(key: searcher.key(of: $0.address), score: $0.score, address: $0.address) }
        )
    }

    // The heap's root is the worst hit kept.
    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.heap[parent].ranksAbove(self.heap[child]) else { break }
            self.heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < self.heap.count, self.heap[worst].ranksAbove(self.heap[left]) { worst = left }
            if right < self.heap.count, self.heap[worst].ranksAbove(self.heap[right]) { worst = right }
            if worst == parent { return }
            self.heap.swapAt(parent, worst)
            parent = worst
        }
    }
}

/// A scored document.
public struct ScoreDoc: Hashable, Sendable {
    /// Where the document is.
    public var address: DocAddress
    /// Its score.
    public var score: Float

    /// Higher score first; on a tie, the earlier document.
    @inline(__always)
    func ranksAbove(_ other: ScoreDoc) -> Bool {
        self.score > other.score || (self.score == other.score && self.address < other.address)
    }
}
