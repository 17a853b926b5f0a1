import PaperboySearch
import Testing

@Suite("Query parser")
struct QueryParserTests {
    static let schema = IndexSchema(
        fields: [.init(name: "title", weight: 2), .init(name: "abstract"), .init(name: "author")],
        keywordFields: ["category"],
        numericFields: ["day"]
    )
    static let parser = QueryParser(
        schema: schema,
        analyzer: EnglishAnalyzer(),
        keywordAliases: ["cat": "category"],
        dateField: "day",
        fieldAliases: ["authors": "author"]
    )

    // Days since 1970-01-01: 2025-01-01 is 20089, 2025-03-01 is 20148, 2025-06-30 is 20269,
    // 2025-12-31 is 20453.
    @Test(
        "what each piece of syntax becomes",
        arguments: [
            ("diffusion models", "diffus model"),
            ("\"large language models\"", "+\"larg languag model\""),
            ("+transformer -rnn", "+transform -rnn"),
            ("-rnn", "-rnn +*"),
            ("NOT rnn vision", "-rnn vision"),
            ("graph AND neural", "+graph +neural"),
            ("title:diffusion", "0:diffus"),
            ("authors:hinton", "2:hinton"),
            ("abstract:\"zero shot\"", "+\"zero shot\""),
            ("cat:cs.LG", "#keyword0:cs.LG +*"),
            ("cat:cs.LG cat:cs.CV vision", "vision #keyword0:cs.LG keyword0:cs.CV"),
            ("cat:cs.*", "#keyword0:cs.* +*"),
            ("year:2025 vision", "vision #number0:[20089 TO 20453]"),
            ("from:2025-03 to:2025-06-30 vision", "vision #number0:[20148 TO 20269]"),
            ("diffus*", "diffus*"),
            ("re:zero", "re zero"),
            ("self-supervised", "self supervis"),
            ("+self-supervised", "+\"self supervis\""),
            ("the of and", ""),
        ]
    )
    func syntax(text: String, expected: String) throws {
        #expect(try Self.parser.parse(text).description == expected)
    }

    @Test("AND mode makes bare words required")
    func andMode() throws {
        #expect(try Self.parser.parse("graph neural -rnn", mode: .and).description == "+graph +neural -rnn")
    }

    @Test(
        "errors say what is wrong and where",
        arguments: [
            ("\"unclosed phrase", "unclosed quote at column 1", 1),
            ("deep \"learning models", "unclosed quote at column 6", 6),
            ("year:20x5", "year: expects a date like 2025, 2025-03 or 2025-03-12, not \"20x5\" (column 1)", 1),
            ("vision from:2025-13", "from: expects a date", 8),
            ("title: vision", "title: needs a value right after the colon (column 6)", 6),
            ("vision NOT", "NOT needs a word after it (column 8)", 8),
        ]
    )
    func errors(text: String, message: String, column: Int) {
        do {
            let query = try Self.parser.parse(text)
            Issue.record("parsed as \(query)")
        } catch {
            #expect(error.code == .invalidQuery)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.column == column)
        }
    }

    @Test("a long run of NOTs parses in a loop: 3,000 of them before a word do not exhaust the stack")
    func longNotChain() throws {
        let text = String(repeating: "NOT ", count: 3_000) + "a"
        // Too long for the default limits; with room for it, it parses to one exclusion.
        let roomy = QueryParser(
            schema: Self.schema, analyzer: EnglishAnalyzer(), limits: .init(maxBytes: 1 << 20))
        #expect(try roomy.parse(String(repeating: "NOT ", count: 3_000) + "vision").description == "-vision +*")
        #expect(throws: SearchError.self) { try roomy.parse(String(repeating: "NOT ", count: 3_000)) }
        do {
            _ = try Self.parser.parse(text)
            Issue.record("a 12,001-byte query parsed")
        } catch {
            #expect(error.code == .queryTooLarge)
            #expect(error.message.hasPrefix("query is 12,001 bytes long; at most 4,096"), "\(error.message)")
            #expect(error.column == 4_097)
        }
    }

    @Test("past the term limit: the total and the column of the first term past it")
    func tooManyTerms() {
        let words = (0..<300).map { "w\($0)x" }
        do {
            _ = try Self.parser.parse(words.joined(separator: " "))
            Issue.record("300 terms parsed")
        } catch {
            #expect(error.code == .queryTooLarge)
            #expect(error.message.hasPrefix("query has 300 terms; at most 256"), "\(error.message)")
            let column = words.prefix(256).reduce(0) { $0 + $1.count + 1 } + 1
            #expect(error.column == column)
        }
        // 256 is fine, and stop words cost nothing.
        #expect(throws: Never.self) { try Self.parser.parse(words.prefix(256).joined(separator: " ")) }
        #expect(throws: Never.self) { try Self.parser.parse(String(repeating: "the ", count: 1_000)) }
    }

    @Test("prefixes: at least two characters, at most 16 of them, sharing 256 expansions")
    func prefixLimits() throws {
        do {
            _ = try Self.parser.parse("a* vision")
            Issue.record("a one-letter prefix parsed")
        } catch {
            #expect(error.code == .invalidQuery)
            #expect(error.message == "a*: a prefix needs at least 2 characters before the * (column 1)")
        }
        let seventeen = (0..<17).map { "p\(Character(UnicodeScalar(97 + $0)!))*" }.joined(separator: " ")
        do {
            _ = try Self.parser.parse(seventeen)
            Issue.record("17 prefixes parsed")
        } catch {
            #expect(error.code == .queryTooLarge)
            #expect(error.message.contains("at most 16"), "\(error.message)")
            #expect(error.column == 16 * 4 + 1)
        }
        let query = try Self.parser.parse("diff* gen* vision")
        let prefixes = (query as? BooleanQuery)?.clauses.compactMap { $0.query as? PrefixQuery } ?? []
        #expect(prefixes.map(\.maxExpansions) == [64, 64])
        let sixteen = try Self.parser.parse(
            (0..<16).map { "q\(Character(UnicodeScalar(97 + $0)!))*" }.joined(separator: " "))
        let shares = (sixteen as? BooleanQuery)?.clauses.compactMap { ($0.query as? PrefixQuery)?.maxExpansions } ?? []
        #expect(shares == Array(repeating: 16, count: 16))
    }

    @Test("parts: the words as typed for a vector search, filters and exclusions as the narrowing")
    func parts() throws {
        let parts = try Self.parser.parts(
            #"+graph "neural networks" title:attention cat:cs.LG year:2025 -survey NOT review foo:bar"#)
        #expect(parts.text == "graph neural networks attention foo bar")
        #expect(parts.hasFilters)
        let narrowing = try #require(parts.narrowing as? BooleanQuery)
        #expect(narrowing.clauses.filter { $0.occur == .mustNot }.count == 2)
        #expect(narrowing.clauses.filter { $0.occur == .filter }.count == 2)
        #expect(narrowing.clauses.contains { $0.occur == .must && $0.query is MatchAllQuery })
        let plain = try Self.parser.parts("diffusion models")
        #expect(plain.text == "diffusion models")
        #expect(plain.narrowing == nil && !plain.hasFilters)
        let filtersOnly = try Self.parser.parts("cat:cs.CV -gan")
        #expect(filtersOnly.text == "")
        #expect(filtersOnly.narrowing != nil)
        #expect(throws: SearchError.self) { try Self.parser.parts("title:") }
    }
}
