/// Documents with a text term that starts with a prefix (`diffus*`): the most frequent matching
/// terms, at most ``maxExpansions``, searched together as optional terms.
public struct PrefixQuery: Query {
    /// The prefix, folded like the indexed words (not stemmed).
    public let prefix: String
    /// The fields searched; `nil` means all.
    public let fields: [Int]?
    /// How many terms a prefix expands to at most.
    public var maxExpansions: Int
    /// The default of ``maxExpansions``.
    public static let defaultMaxExpansions = 64

    /// Creates the query.
    public init(prefix: String, fields: [Int]? = nil, maxExpansions: Int = PrefixQuery.defaultMaxExpansions) {
        self.prefix = prefix
        self.fields = fields
        self.maxExpansions = maxExpansions
    }

    public var terms: [String] { [] }
    public var description: String { self.prefix + "*" }

    /// The terms the prefix stands for in `searcher`, most frequent first (ties in byte order).
    ///
    /// Each segment keeps its own most frequent ``maxExpansions`` terms while its dictionary is
    /// scanned, copying only those (a two-letter prefix has thousands of terms); their frequencies
    /// are then summed over every segment. A term that is in no segment's own top but would be in
    /// the sum's is missed, which only a term spread thinly over many segments can be.
    public func expansions(_ searcher: Searcher) -> [String] {
        guard self.maxExpansions > 0 else { return [] }
        let prefix = Array(self.prefix.utf8)
        var candidates = Set<[UInt8]>()
        for reader in searcher.segments {
            var top = BoundedTerms(capacity: self.maxExpansions)
            reader.file.scanTerms(withPrefix: prefix) { term, info in
                if term.withMemoryRebound(to: UInt8.self, { SegmentFormat.isText($0) }) {
                    top.offer(term, frequency: info.documentFrequency)
                }
                return true
            }
            candidates.formUnion(top.terms)
        }
        let totals = candidates.map { term in (term, searcher.documentFrequency(bytes: term)) }
        return totals.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0.lexicographicallyPrecedes($1.0)) }
            .prefix(self.maxExpansions).map { String(decoding: $0.0, as: UTF8.self) }
    }

    public func weight(_ searcher: Searcher) -> any Weight {
        let clauses = self.expansions(searcher).map {
            BooleanQuery.Clause(TermQuery(term: $0, fields: self.fields), .should)
        }
        return BooleanQuery(clauses).weight(searcher)
    }
}

/// The `capacity` most frequent terms seen, kept in a min-heap on frequency; a term is copied
/// only when it enters.
private struct BoundedTerms {
    let capacity: Int
    private var heap: [(frequency: Int, term: [UInt8])] = []

    init(capacity: Int) {
        self.capacity = capacity
        self.heap.reserveCapacity(capacity)
    }

    var terms: [[UInt8]] { self.heap.map(\.term) }

    mutating func offer(_ term: UnsafeRawBufferPointer, frequency: Int) {
        if self.heap.count < self.capacity {
            self.heap.append((frequency, Array(term)))
            var child = self.heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard self.heap[child].frequency < self.heap[parent].frequency else { break }
                self.heap.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard frequency > self.heap[0].frequency else { return }
        self.heap[0] = (frequency, Array(term))
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < self.heap.count, self.heap[left].frequency < self.heap[smallest].frequency { smallest = left }
            if right < self.heap.count, self.heap[right].frequency < self.heap[smallest].frequency { smallest = right }
            if smallest == parent { return }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
