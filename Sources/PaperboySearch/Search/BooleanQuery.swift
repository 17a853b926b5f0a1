/// A combination of queries: documents must match every `must` clause, match at least one
/// `should` clause when there is no `must`, and match no `mustNot` clause. A document's score is
/// the sum of the scores of the clauses it matches.
public struct BooleanQuery: Query {
    /// How a clause takes part.
    public enum Occur: Hashable, Sendable {
        /// Optional, adds to the score (required only when there is no `must`).
        case should
        /// Required, adds to the score.
        case must
        /// Excluded.
        case mustNot
    }

    /// One clause.
    public struct Clause: Sendable {
        /// The clause's query.
        public var query: any Query
        /// How it takes part.
        public var occur: Occur

        /// Creates a clause.
        public init(_ query: any Query, _ occur: Occur) {
            self.query = query
            self.occur = occur
        }
    }

    /// The clauses.
    public var clauses: [Clause]

    /// Creates a query from clauses.
    public init(_ clauses: [Clause]) {
        self.clauses = clauses
    }

    public var terms: [String] {
        self.clauses.filter { $0.occur != .mustNot }.flatMap(\.query.terms)
    }

    public var description: String {
        self.clauses.map { clause in
            switch clause.occur {
            case .should: return clause.query.description
            case .must: return "+" + clause.query.description
            case .mustNot: return "-" + clause.query.description
            }
        }.joined(separator: " ")
    }

    public func weight(_ searcher: Searcher) -> any Weight {
        BooleanWeight(clauses: self.clauses.map { ($0.query.weight(searcher), $0.occur) })
    }
}

struct BooleanWeight: Weight {
    let clauses: [(weight: any Weight, occur: BooleanQuery.Occur)]

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        var required: [any Scorer] = []
        var optional: [any Scorer] = []
        var prohibited: [any Scorer] = []
        for clause in self.clauses {
            let scorer = clause.weight.scorer(reader)
            switch clause.occur {
            case .must:
                guard let scorer else { return nil }
                required.append(scorer)
            case .should:
                if let scorer { optional.append(scorer) }
            case .mustNot:
                if let scorer { prohibited.append(scorer) }
            }
        }
        var main: any Scorer
        if required.isEmpty {
            guard !optional.isEmpty else { return nil }
            main = optional.count == 1 ? optional[0] : DisjunctionScorer(optional)
        } else {
            main = required.count == 1 ? required[0] : ConjunctionScorer(required)
            if !optional.isEmpty {
                main = RequiredOptionalScorer(
                    required: main, optional: optional.count == 1 ? optional[0] : DisjunctionScorer(optional))
            }
        }
        if !prohibited.isEmpty {
            main = ExclusionScorer(
                main, excluded: prohibited.count == 1 ? prohibited[0] : DisjunctionScorer(prohibited))
        }
        return main
    }
}
