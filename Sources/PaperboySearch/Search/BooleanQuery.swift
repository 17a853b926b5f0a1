/// A combination of queries: documents must match every `must` and `filter` clause, at least one
/// `should` clause when there is no `must`, and no `mustNot` clause. A document's score is the
/// sum of the scores of the `must` and `should` clauses it matches; filters do not score.
///
/// A disjunction of terms runs with block-max MaxScore, skipping what cannot enter the top; every
/// other shape runs exhaustively.
public struct BooleanQuery: Query {
    /// How a clause takes part.
    public enum Occur: Hashable, Sendable {
        /// Optional, adds to the score (at least one is required when there is no `must`).
        case should
        /// Required, adds to the score.
        case must
        /// Required, does not score.
        case filter
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
        self.clauses.filter { $0.occur == .should || $0.occur == .must }.flatMap(\.query.terms)
    }

    public func visitTerms(in searcher: Searcher, _ visitor: (String) -> Void) {
        for clause in self.clauses where clause.occur == .should || clause.occur == .must {
            clause.query.visitTerms(in: searcher, visitor)
        }
    }

    public var description: String {
        self.clauses.map { clause in
            switch clause.occur {
            case .should: return clause.query.description
            case .must: return "+" + clause.query.description
            case .filter: return "#" + clause.query.description
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
        var optionalTerms: [TermScorer] = []
        var allOptionalAreTerms = true
        var prohibited: [any Scorer] = []
        var hasMust = false
        var optionalBuilt = 0
        for clause in self.clauses {
            switch clause.occur {
            case .must, .filter:
                guard let scorer = clause.weight.scorer(reader) else { return nil }
                required.append(scorer)
                if clause.occur == .must { hasMust = true }
            case .should:
                // Out of time, the optional clauses not yet built are left out (the results are
                // marked partial); required and excluded ones are always built.
                if reader.budget?.isSpent == true { continue }
                optionalBuilt &+= 1
                if optionalBuilt % 16 == 0, reader.budget?.poll() == true { continue }
                if let term = clause.weight as? TermWeight {
                    if let scorer = term.termScorer(reader) {
                        optional.append(scorer)
                        optionalTerms.append(scorer)
                    }
                } else {
                    allOptionalAreTerms = false
                    if let scorer = clause.weight.scorer(reader) { optional.append(scorer) }
                }
            case .mustNot:
                if let scorer = clause.weight.scorer(reader) { prohibited.append(scorer) }
            }
        }
        let hasShould = self.clauses.contains { $0.occur == .should }
        func union() -> any Scorer {
            if optional.count == 1 { return optional[0] }
            return allOptionalAreTerms ? MaxScoreScorer(optionalTerms) : DisjunctionScorer(optional)
        }
        var main: any Scorer
        if !hasMust, hasShould {
            // The shoulds decide what matches; filters narrow it.
            guard !optional.isEmpty else { return nil }
            main = union()
            if !required.isEmpty { main = ConjunctionScorer([main] + required) }
        } else if required.isEmpty {
            return nil
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
