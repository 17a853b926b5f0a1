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
}
