/// Documents with a text term that starts with a prefix (`diffus*`): the most frequent matching
/// terms, at most ``maxExpansions``, searched together as optional terms.
public struct PrefixQuery: Query {
    /// The prefix, folded like the indexed words (not stemmed).
    public let prefix: String
    /// The fields searched; `nil` means all.
    public let fields: [Int]?
    /// How many terms a prefix expands to at most.
    public static let maxExpansions = 64

    /// Creates the query.
    public init(prefix: String, fields: [Int]? = nil) {
        self.prefix = prefix
        self.fields = fields
    }

    public var terms: [String] { [] }
    public var description: String { self.prefix + "*" }

    /// The terms the prefix stands for in `searcher`, most frequent first.
    public func expansions(_ searcher: Searcher) -> [String] {
        var frequencies: [[UInt8]: Int] = [:]
        let prefix = Array(self.prefix.utf8)
        for reader in searcher.segments {
            reader.file.terms(withPrefix: prefix) { term, info in
                if term.withUnsafeBufferPointer({ SegmentFormat.isText($0) }) {
                    frequencies[term, default: 0] += info.documentFrequency
                }
                return true
            }
        }
        return frequencies.sorted {
            $0.value > $1.value || ($0.value == $1.value && $0.key.lexicographicallyPrecedes($1.key))
        }
        .prefix(Self.maxExpansions).map { String(decoding: $0.key, as: UTF8.self) }
    }

    public func weight(_ searcher: Searcher) -> any Weight {
        let clauses = self.expansions(searcher).map {
            BooleanQuery.Clause(TermQuery(term: $0, fields: self.fields), .should)
        }
        return BooleanQuery(clauses).weight(searcher)
    }
}
