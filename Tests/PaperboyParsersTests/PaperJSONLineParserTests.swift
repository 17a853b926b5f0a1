import PaperboyModel
import PaperboyParsers
import Testing

@Suite("Paper JSON lines")
struct PaperJSONLineParserTests {
    static let parser = PaperJSONLineParser(source: "papers.jsonl")

    @Test("a complete line becomes a paper")
    func valid() throws {
        let paper = try Self.parser.parse(
            #"{"id": "2101.11408v2", "title": "A  Title\n", "abstract": "Text.", "authors": ["A", " B "], "categories": ["cs.LG", "stat.ML"], "date": "2021-01-28"}"#,
            lineNumber: 7
        )
        #expect(paper.id.rawValue == "2101.11408")
        #expect(paper.title == "A Title")
        #expect(paper.authors.map(\.name) == ["A", "B"])
        #expect(paper.categories == ["cs.LG", "stat.ML"])
        #expect(paper.primaryCategory == "cs.LG")
        #expect(paper.announced.description == "2021-01-28")
        #expect(paper.versions == [PaperVersion(number: 2)])
    }

    @Test("optional fields may be missing")
    func optional() throws {
        let paper = try Self.parser.parse(#"{"id": "2101.11408", "title": "T", "date": "2021-01-28"}"#, lineNumber: 1)
        #expect(paper.abstract.isEmpty && paper.authors.isEmpty && paper.categories.isEmpty)
    }

    @Test(
        "a bad line names file, line, field and record, and says why",
        arguments: [
            (
                #"{"id": "2101.11408", "title": "T", "date": "2021-01-28""#, "papers.jsonl:3: not valid JSON",
                nil as String?
            ),
            (#"{"title": "T", "date": "2021-01-28"}"#, "papers.jsonl:3: field 'id': is missing", "id"),
            (
                #"{"id": "2113.00001", "title": "T", "date": "2021-01-28"}"#,
                "field 'id': \"2113.00001\" is not an arXiv id: month 13", "id"
            ),
            (
                #"{"id": "2101.11408", "date": "2021-01-28"}"#,
                "papers.jsonl:3: record 2101.11408: field 'title': is missing or empty", "title"
            ),
            (
                #"{"id": "2101.11408", "title": "   ", "date": "2021-01-28"}"#, "field 'title': is missing or empty",
                "title"
            ),
            (#"{"id": "2101.11408", "title": "T"}"#, "record 2101.11408: field 'date': is missing", "date"),
            (
                #"{"id": "2101.11408", "title": "T", "date": "2021-02-30"}"#,
                "field 'date': \"2021-02-30\" is not a real date", "date"
            ),
            (
                #"{"id": "2101.11408", "title": "T", "date": "2021-01-28", "authors": "A"}"#,
                "field 'authors': expected an array of strings", "authors"
            ),
            (#"{"id": 42, "title": "T", "date": "2021-01-28"}"#, "field 'id': expected a string", "id"),
            ("[1, 2]", "papers.jsonl:3:", nil),
        ] as [(String, String, String?)]
    )
    func invalid(line: String, message: String, field: String?) {
        do {
            let paper = try Self.parser.parse(line, lineNumber: 3)
            Issue.record("parsed \(paper.id)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.line == 3)
            #expect(error.source == "papers.jsonl")
            if let field { #expect(error.field == field) }
        }
    }
}
