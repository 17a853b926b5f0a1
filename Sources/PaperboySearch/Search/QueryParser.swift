/// Turns what a user types into a ``Query``.
///
/// This first version reads free text: every analysed term becomes an optional clause over all
/// fields, so documents matching more (and rarer) terms rank higher.
public struct QueryParser: Sendable {
    /// The schema of the index searched.
    public let schema: IndexSchema
    /// The analyzer the index was built with.
    public let analyzer: any Analyzer

    /// Creates a parser.
    public init(schema: IndexSchema, analyzer: any Analyzer) {
        self.schema = schema
        self.analyzer = analyzer
    }

    /// Parses `text`. A query of stop words only parses to a query that matches nothing.
    public func parse(_ text: String) throws(SearchError) -> any Query {
        // Joined forms of hyphenated words are indexed, but a query keeps only the parts: the joined
        // form would count the same words twice.
        let terms = self.analyzer.tokens(text).filter { !$0.isSynonym }.map(\.term)
        return BooleanQuery(terms.map { BooleanQuery.Clause(TermQuery(term: $0), .should) })
    }
}
