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
public struct QueryParser: Sendable {
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

    /// Creates a parser.
    public init(
        schema: IndexSchema,
        analyzer: any Analyzer,
        keywordAliases: [String: String] = [:],
        dateField: String? = nil,
        fieldAliases: [String: String] = [:]
    ) {
        self.schema = schema
        self.analyzer = analyzer
        self.keywordAliases = keywordAliases
        self.dateField = dateField
        self.fieldAliases = fieldAliases
    }

    /// Parses `text`. A query of stop words only parses to a query that matches nothing.
    ///
    /// - Throws: ``SearchError`` with code `invalidQuery` and the column of the problem.
    public func parse(_ text: String, mode: Mode = .or) throws(SearchError) -> any Query {
        var scanner = QueryScanner(text)
        var clauses: [BooleanQuery.Clause] = []
        var categories: [any Query] = []
        var dateRange: ClosedRange<Int64>?
        var pendingMust = false
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
                    guard occur != .mustNot else {
                        clauses.append(.init(KeywordQuery(field: keyword, value: word, isPrefix: isPrefix), .mustNot))
                        continue
                    }
                    categories.append(KeywordQuery(field: keyword, value: word, isPrefix: isPrefix))
                    continue
                }
                if let field, self.isDateField(field) {
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
                    clauses.append(
                        .init(PrefixQuery(prefix: folded, fields: fields), occur == .should ? .should : occur))
                    continue
                }
                let tokens = self.analyzer.tokens(word).filter { !$0.isSynonym }
                if tokens.isEmpty { continue }
                if tokens.count == 1 || occur == .should {
                    for token in tokens { clauses.append(.init(TermQuery(term: token.term, fields: fields), occur)) }
                } else {
                    clauses.append(.init(self.phrase(tokens, fields: fields), occur))
                }
            case .phrase(let phrase, let field):
                let fields = try self.textFields(field, column: token.column)
                let tokens = self.analyzer.tokens(phrase).filter { !$0.isSynonym }
                if tokens.isEmpty { continue }
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

    mutating func next() throws(SearchError) -> Token? {
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
        if sign == .none, word == "NOT" {
            guard var next = try self.next() else {
                throw SearchError(.invalidQuery, "NOT needs a word after it (column \(start))", column: start)
            }
            next.sign = .minus
            return next
        }
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
