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
    /// Dictionary terms scanned between two looks at a search budget's clock.
    static let termsBetweenClockReads = 512

    /// Creates the query.
    public init(prefix: String, fields: [Int]? = nil, maxExpansions: Int = PrefixQuery.defaultMaxExpansions) {
        self.prefix = prefix
        self.fields = fields
        self.maxExpansions = maxExpansions
    }

    public var terms: [String] { [] }
    public var description: String { self.prefix + "*" }

    public func visitTerms(in searcher: Searcher, _ visitor: (String) -> Void) {
        for term in self.expansions(searcher) { visitor(term) }
    }

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
            var scanned = 0
            reader.file.scanTerms(withPrefix: prefix) { term, info in
                if term.withMemoryRebound(to: UInt8.self, { SegmentFormat.isText($0) }) {
                    top.offer(term, frequency: info.documentFrequency)
                }
                // A search out of time keeps the most frequent terms seen so far.
                scanned &+= 1
                return scanned % Self.termsBetweenClockReads != 0 || searcher.budget?.poll() != true
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
