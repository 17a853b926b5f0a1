/// Counts what a query asks for against ``QueryParser/Limits`` while it is parsed, and shares the
/// prefix expansion budget among the prefixes at the end.
struct TermBudget {
    let limits: QueryParser.Limits
    private(set) var terms = 0
    private var firstColumnPast: Int?
    private var prefixes = 0

    init(limits: QueryParser.Limits) {
        self.limits = limits
    }

    /// Adds `count` terms of the token at `column`.
    mutating func count(_ count: Int, at column: Int) {
        self.terms += count
        if self.terms > self.limits.maxTerms, self.firstColumnPast == nil { self.firstColumnPast = column }
    }

    /// Adds a prefix clause; past the limit at once (each one is costly).
    mutating func countPrefix(at column: Int) throws(SearchError) {
        self.prefixes += 1
        guard self.prefixes <= self.limits.maxPrefixes else {
            throw SearchError(
                .queryTooLarge,
                "query has more than \(self.limits.maxPrefixes) prefix* terms; at most \(self.limits.maxPrefixes) (column \(column))",
                column: column)
        }
    }

    /// Throws when the query had more terms than allowed, with the total and where it went past.
    func check() throws(SearchError) {
        guard let column = self.firstColumnPast else { return }
        throw SearchError(
            .queryTooLarge,
            "query has \(grouped(self.terms)) terms; at most \(grouped(self.limits.maxTerms)) (the first one past the limit is at column \(grouped(column)))",
            column: column)
    }

    /// The clauses with every prefix query given its share of the expansion budget.
    func sharingExpansions(_ clauses: [BooleanQuery.Clause]) -> [BooleanQuery.Clause] {
        guard self.prefixes > 0 else { return clauses }
        let share = max(1, min(PrefixQuery.defaultMaxExpansions, self.limits.maxExpansions / self.prefixes))
        return clauses.map { clause in
            guard let prefix = clause.query as? PrefixQuery else { return clause }
            var limited = prefix
            limited.maxExpansions = share
            return BooleanQuery.Clause(limited, clause.occur)
        }
    }
}

/// `12345` as `12,345`.
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}
