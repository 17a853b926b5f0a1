/// Turns what a user types into a ``Query``.
///
/// ```text
/// diffusion models         words: optional (ranked by BM25F), or all required in AND mode
/// "exact phrase"           a phrase, required
/// +word  -word  NOT word   required / excluded (also +"phrase", -"phrase")
/// a AND b                  both required
/// title:word  abstract:"a phrase"  author:hinton
///                          a word or phrase in one text field
/// cat:cs.LG  cat:cs.*      a keyword filter (several cat: clauses: any of them)
/// year:2025  from:2025-01-01  to:2025-06  (dates as YYYY, YYYY-MM or YYYY-MM-DD)
///                          a date filter on the date field
/// diffus*                  words starting with a prefix
/// ```
///
/// An unknown `name:` is read as plain words. Errors say what is wrong and at which column
/// (1-based, in characters): `unclosed quote at column 14`.
///
/// The language has no nesting (parentheses are plain characters), and ``Limits`` bound what one
/// query may ask for, so that no query costs more than a few milliseconds to parse and run: its
/// length in bytes, its terms, its prefixes and how many terms those may stand for.
public struct QueryParser: Sendable {
    /// The most one query may ask for; past them, parsing fails with code
    /// ``SearchError/Code/queryTooLarge`` and the column where the query went past.
    public struct Limits: Sendable, Hashable {
        /// The longest query text, in UTF-8 bytes.
        public var maxBytes: Int
        /// The most terms (words, words of phrases, field values) after analysis.
        public var maxTerms: Int
        /// The most `prefix*` clauses.
        public var maxPrefixes: Int
        /// The most index terms all prefixes together expand to (shared among them).
        public var maxExpansions: Int
        /// The fewest characters before a `*`.
        public var minPrefixLength: Int

        /// Creates limits; the defaults keep any query on 156k papers under ~50 ms of CPU.
        public init(
            maxBytes: Int = 4_096, maxTerms: Int = 256, maxPrefixes: Int = 16, maxExpansions: Int = 256,
            minPrefixLength: Int = 2
        ) {
            self.maxBytes = maxBytes
            self.maxTerms = maxTerms
            self.maxPrefixes = maxPrefixes
            self.maxExpansions = maxExpansions
            self.minPrefixLength = minPrefixLength
        }
    }

    /// How bare words combine.
    public enum Mode: String, Sendable, CaseIterable {
        /// Any word may match; more (and rarer) matches rank higher.
        case or
        /// Every word must match.
        case and
    }

    /// The schema of the index searched.
    public let schema: IndexSchema
    /// The analyzer the index was built with.
    public let analyzer: any Analyzer
    /// Query names of keyword fields, e.g. `cat` → the `category` field.
    public let keywordAliases: [String: String]
    /// The numeric field holding days since 1970-01-01, for `year:`, `from:` and `to:`.
    public let dateField: String?
    /// Query names of text fields beyond their own names, e.g. `authors` → `author`.
    public let fieldAliases: [String: String]
    /// What one query may ask for.
    public var limits: Limits

    /// Creates a parser.
    public init(
        schema: IndexSchema,
        analyzer: any Analyzer,
        keywordAliases: [String: String] = [:],
        dateField: String? = nil,
        fieldAliases: [String: String] = [:],
        limits: Limits = Limits()
    ) {
        self.schema = schema
        self.analyzer = analyzer
        self.keywordAliases = keywordAliases
        self.dateField = dateField
        self.fieldAliases = fieldAliases
        self.limits = limits
    }

    /// Parses `text`. A query of stop words only parses to a query that matches nothing.
    ///
    /// - Throws: ``SearchError`` with code `invalidQuery` and the column of the problem, or
    ///   `queryTooLarge` when the query asks for more than ``limits`` allow.
    public func parse(_ text: String, mode: Mode = .or) throws(SearchError) -> any Query {
        try self.checkLength(text)
        var scanner = QueryScanner(text)
        var clauses: [BooleanQuery.Clause] = []
        var categories: [any Query] = []
        var dateRange: ClosedRange<Int64>?
        var pendingMust = false
        var budget = TermBudget(limits: self.limits)
        while var token = try scanner.next() {
            switch token.kind {
            case .and:
                // Make the clause before and the one after required.
                if let last = clauses.indices.last, clauses[last].occur == .should { clauses[last].occur = .must }
                pendingMust = true
                continue
            case .or:
                continue
            default:
                break
            }
            var occur: BooleanQuery.Occur =
                token.sign == .minus ? .mustNot : (token.sign == .plus || pendingMust || mode == .and ? .must : .should)
            pendingMust = false
            if case .word(let word, let field?, let isPrefix) = token.kind, !self.knows(field) {
                // Not a field: the words on both sides of the colon.
                token.kind = .word(field + " " + word, field: nil, isPrefix: isPrefix)
            }
            switch token.kind {
            case .word(let word, let field, let isPrefix):
                let fields = try self.textFields(field, column: token.column)
                if let field, let keyword = self.keywordField(field) {
                    budget.count(1, at: token.column)
                    guard occur != .mustNot else {
                        clauses.append(.init(KeywordQuery(field: keyword, value: word, isPrefix: isPrefix), .mustNot))
                        continue
                    }
                    categories.append(KeywordQuery(field: keyword, value: word, isPrefix: isPrefix))
                    continue
                }
                if let field, self.isDateField(field) {
                    budget.count(1, at: token.column)
                    let range = try self.dateRange(field: field, value: word, column: token.column)
                    if occur == .mustNot {
                        clauses.append(.init(NumericRangeQuery(field: self.dateFieldIndex!, range: range), .mustNot))
                    } else {
                        // Date clauses narrow each other; an empty intersection matches no value.
                        let lower = max(range.lowerBound, dateRange?.lowerBound ?? Int64.min)
                        let upper = min(range.upperBound, dateRange?.upperBound ?? Int64.max)
                        dateRange = lower <= upper ? lower...upper : Int64.max...Int64.max
                    }
                    continue
                }
                if isPrefix {
                    let folded = self.fold(word)
                    guard !folded.isEmpty else { continue }
                    guard folded.count >= self.limits.minPrefixLength else {
                        throw SearchError(
                            .invalidQuery,
                            "\(word)*: a prefix needs at least \(self.limits.minPrefixLength) characters before the * (column \(token.column))",
                            column: token.column)
                    }
                    budget.count(1, at: token.column)
                    try budget.countPrefix(at: token.column)
                    clauses.append(
                        .init(PrefixQuery(prefix: folded, fields: fields), occur == .should ? .should : occur))
                    continue
                }
                let tokens = self.analyzer.tokens(word).filter { !$0.isSynonym }
                if tokens.isEmpty { continue }
                budget.count(tokens.count, at: token.column)
                if tokens.count == 1 || occur == .should {
                    for token in tokens { clauses.append(.init(TermQuery(term: token.term, fields: fields), occur)) }
                } else {
                    clauses.append(.init(self.phrase(tokens, fields: fields), occur))
                }
            case .phrase(let phrase, let field):
                let fields = try self.textFields(field, column: token.column)
                let tokens = self.analyzer.tokens(phrase).filter { !$0.isSynonym }
                if tokens.isEmpty { continue }
                budget.count(tokens.count, at: token.column)
                if occur == .should { occur = .must }
                clauses.append(
                    .init(
                        tokens.count == 1
                            ? TermQuery(term: tokens[0].term, fields: fields) : self.phrase(tokens, fields: fields),
                        occur)
                )
            default:
                continue
            }
        }
        try budget.check()
        clauses = budget.sharingExpansions(clauses)
        if !categories.isEmpty {
            let filter: any Query =
                categories.count == 1 ? categories[0] : BooleanQuery(categories.map { .init($0, .should) })
            clauses.append(.init(filter, .filter))
        }
        if let dateRange, let field = self.dateFieldIndex {
            clauses.append(.init(NumericRangeQuery(field: field, range: dateRange), .filter))
        }
        let positive = clauses.contains { $0.occur == .should || $0.occur == .must }
        let narrowing = clauses.contains { $0.occur == .filter || $0.occur == .mustNot }
        if !positive, narrowing {
            // Only filters and exclusions: every document they leave, unranked.
            clauses.append(.init(MatchAllQuery(), .must))
        }
        return BooleanQuery(clauses)
    }

    /// A query split for a retriever that does not read the syntax (a vector search): the words
    /// and phrases it looks for as typed, and the clauses that narrow (filters and exclusions).
    public struct Parts: Sendable {
        /// The whole query, as ``QueryParser/parse(_:mode:)`` returns it.
        public var query: any Query
        /// The words and phrases looked for, in order, without field names, signs, operators,
        /// filters or excluded words; empty for a query of filters only.
        public var text: String
        /// The filters and exclusions over every document (nil when the query has none): the
        /// documents another retriever may return.
        public var narrowing: (any Query)?
        /// Whether the narrowing has filters (categories, dates), not only exclusions.
        public var hasFilters: Bool

        /// Creates the parts of a query built in code.
        public init(query: any Query, text: String, narrowing: (any Query)?, hasFilters: Bool) {
            self.query = query
            self.text = text
            self.narrowing = narrowing
            self.hasFilters = hasFilters
        }
    }

    /// Parses `text` and splits it into ``Parts``.
    ///
    /// - Throws: what ``parse(_:mode:)`` throws.
    public func parts(_ text: String, mode: Mode = .or) throws(SearchError) -> Parts {
        let query = try self.parse(text, mode: mode)
        let clauses = (query as? BooleanQuery)?.clauses ?? []
        let narrowing = clauses.filter { $0.occur == .filter || $0.occur == .mustNot }
        var words: [String] = []
        var scanner = QueryScanner(text)
        while let token = try scanner.next() {
            guard token.sign != .minus else { continue }
            switch token.kind {
            case .word(let word, let field, _):
                if let field {
                    if !self.knows(field) {
                        words.append(field + " " + word)
                    } else if self.keywordField(field) == nil, !self.isDateField(field) {
                        words.append(word)
                    }
                } else {
                    words.append(word)
                }
            case .phrase(let phrase, let field):
                if field == nil || (self.keywordField(field!) == nil && !self.isDateField(field!)) {
                    words.append(phrase)
                }
            default:
                continue
            }
        }
        return Parts(
            query: query,
            text: words.joined(separator: " "),
            narrowing: narrowing.isEmpty ? nil : BooleanQuery(narrowing + [.init(MatchAllQuery(), .must)]),
            hasFilters: narrowing.contains { $0.occur == .filter }
        )
    }

    /// Refuses text longer than ``Limits/maxBytes``, naming the column where it goes past.
    private func checkLength(_ text: String) throws(SearchError) {
        let bytes = text.utf8.count
        guard bytes > self.limits.maxBytes else { return }
        var column = 0
        var used = 0
        for character in text {
            used += character.utf8.count
            column += 1
            if used > self.limits.maxBytes { break }
        }
        throw SearchError(
            .queryTooLarge,
            "query is \(grouped(bytes)) bytes long; at most \(grouped(self.limits.maxBytes)) (it goes past at column \(grouped(column)))",
            column: column)
    }

    private func phrase(_ tokens: [Token], fields: [Int]?) -> PhraseQuery {
        let first = tokens[0].position
        return PhraseQuery(terms: tokens.map(\.term), offsets: tokens.map { $0.position - first }, fields: fields)
    }

    private func fold(_ word: String) -> String {
        var folded = ""
        self.analyzer.words(in: word) { if folded.isEmpty, !$0.isSynonym { folded = $0.text } }
        return folded
    }

    /// Whether `name` names a text, keyword or date field.
    private func knows(_ name: String) -> Bool {
        self.resolvedTextField(name) != nil || self.keywordField(name) != nil || self.isDateField(name)
    }

    private func resolvedTextField(_ name: String) -> Int? {
        self.schema.fieldIndex(named: self.fieldAliases[name] ?? name)
    }

    private func keywordField(_ name: String) -> Int? {
        guard let target = self.keywordAliases[name] ?? (self.schema.keywordFields.contains(name) ? name : nil) else {
            return nil
        }
        return self.schema.keywordFields.firstIndex(of: target)
    }

    private var dateFieldIndex: Int? {
        self.dateField.flatMap { self.schema.numericFields.firstIndex(of: $0) }
    }

    private func isDateField(_ name: String) -> Bool {
        self.dateFieldIndex != nil && ["year", "from", "to", "date"].contains(name)
    }

    /// The text fields a `field:` prefix names (all for none or a non-text field).
    private func textFields(_ field: String?, column: Int) throws(SearchError) -> [Int]? {
        guard let field else { return nil }
        if let index = self.resolvedTextField(field) { return [index] }
        return nil
    }

    /// The days a date value covers: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `from:` and `to:` are
    /// open on one side.
    private func dateRange(field: String, value: String, column: Int) throws(SearchError) -> ClosedRange<Int64> {
        guard let (first, last) = Self.days(of: value) else {
            throw SearchError(
                .invalidQuery,
                "\(field): expects a date like 2025, 2025-03 or 2025-03-12, not \"\(value)\" (column \(column))",
                column: column
            )
        }
        switch field {
        case "from": return first...Int64.max
        case "to": return Int64.min...last
        default: return first...last
        }
    }

    /// First and last day (days since 1970-01-01) of a year, a month or a day.
    static func days(of value: String) -> (Int64, Int64)? {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), (1...9999).contains(year)
        else {
            return nil
        }
        func day(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
            // Howard Hinnant's days_from_civil.
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let mp = month > 2 ? month - 3 : month + 9
            let doy = (153 * mp + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return Int64(era * 146_097 + doe - 719_468)
        }
        func daysIn(_ month: Int) -> Int {
            switch month {
            case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }
        if parts.count == 1 { return (day(year, 1, 1), day(year, 12, 31)) }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 2 { return (day(year, month, 1), day(year, month, daysIn(month))) }
        guard parts[2].count == 2, let dayOfMonth = Int(parts[2]), (1...daysIn(month)).contains(dayOfMonth) else {
            return nil
        }
        let value = day(year, month, dayOfMonth)
        return (value, value)
    }
}

/// Splits query text into signed words, phrases, `field:` values and operators.
struct QueryScanner {
    enum Sign { case none, plus, minus }

    enum Kind {
        case word(String, field: String?, isPrefix: Bool)
        case phrase(String, field: String?)
        case and
        case or
        case not
    }

    struct Token {
        var kind: Kind
        var sign: Sign
        var column: Int
    }

    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        self.characters = Array(text)
    }

    private var column: Int { self.index + 1 }

    /// The next token; `NOT` marks the token after it as excluded. A run of `NOT`s is read in a
    /// loop, so the stack does not grow with the input.
    mutating func next() throws(SearchError) -> Token? {
        var negation: Int?
        while let token = try self.scan() {
            guard case .not = token.kind else {
                guard negation != nil else { return token }
                switch token.kind {
                case .and, .or:
                    throw SearchError(
                        .invalidQuery, "NOT needs a word after it (column \(negation!))", column: negation)
                default:
                    var negated = token
                    negated.sign = .minus
                    return negated
                }
            }
            negation = negation ?? token.column
        }
        if let negation {
            throw SearchError(.invalidQuery, "NOT needs a word after it (column \(negation))", column: negation)
        }
        return nil
    }

    /// One token as written, `NOT` included.
    private mutating func scan() throws(SearchError) -> Token? {
        while self.index < self.characters.count, self.characters[self.index].isWhitespace { self.index += 1 }
        guard self.index < self.characters.count else { return nil }
        let start = self.column
        var sign = Sign.none
        if self.characters[self.index] == "-" || self.characters[self.index] == "+" {
            let next = self.index + 1 < self.characters.count ? self.characters[self.index + 1] : " "
            if !next.isWhitespace {
                sign = self.characters[self.index] == "-" ? .minus : .plus
                self.index += 1
            }
        }
        if self.characters[self.index] == "\"" {
            return Token(kind: .phrase(try self.readPhrase(), field: nil), sign: sign, column: start)
        }
        var word = ""
        while self.index < self.characters.count, !self.characters[self.index].isWhitespace {
            let character = self.characters[self.index]
            if character == ":", !word.isEmpty, word.allSatisfy({ $0.isLetter && $0.isASCII || $0 == "_" }) {
                // A field prefix, if something follows the colon at once.
                let field = word.lowercased()
                self.index += 1
                guard self.index < self.characters.count, !self.characters[self.index].isWhitespace else {
                    throw SearchError(
                        .invalidQuery, "\(field): needs a value right after the colon (column \(self.index))",
                        column: self.index)
                }
                if self.characters[self.index] == "\"" {
                    return Token(kind: .phrase(try self.readPhrase(), field: field), sign: sign, column: start)
                }
                var value = ""
                while self.index < self.characters.count, !self.characters[self.index].isWhitespace {
                    value.append(self.characters[self.index])
                    self.index += 1
                }
                let isPrefix = value.count > 1 && value.hasSuffix("*")
                if isPrefix { value.removeLast() }
                return Token(kind: .word(value, field: field, isPrefix: isPrefix), sign: sign, column: start)
            }
            if character == "\"" { break }
            word.append(character)
            self.index += 1
        }
        if sign == .none, word == "AND" { return Token(kind: .and, sign: .none, column: start) }
        if sign == .none, word == "OR" { return Token(kind: .or, sign: .none, column: start) }
        if sign == .none, word == "NOT" { return Token(kind: .not, sign: .none, column: start) }
        let isPrefix = word.count > 1 && word.hasSuffix("*")
        if isPrefix { word.removeLast() }
        return Token(kind: .word(word, field: nil, isPrefix: isPrefix), sign: sign, column: start)
    }

    /// Reads `"…"` from the opening quote; the closing quote is required.
    private mutating func readPhrase() throws(SearchError) -> String {
        let opening = self.column
        self.index += 1
        var phrase = ""
        while self.index < self.characters.count, self.characters[self.index] != "\"" {
            phrase.append(self.characters[self.index])
            self.index += 1
        }
        guard self.index < self.characters.count else {
            throw SearchError(.invalidQuery, "unclosed quote at column \(opening)", column: opening)
        }
        self.index += 1
        return phrase
    }
}
