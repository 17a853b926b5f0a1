import Foundation
import PaperboyModel
import PaperboyParsers
import Testing

@Suite("Listing pages")
struct ListingPageParserTests {
    @Test("titles and abstracts alternate after the date line; a missing abstract is recognised")
    func fixture() throws {
        let text = try String(contentsOfFile: Fixture.path("listing.txt"), encoding: .utf8)
        let page = try ListingPageParser(source: "listing.txt", year: 2025).parse(text)
        #expect(page.day.description == "2025-03-12")
        #expect(
            page.papers.map(\.title) == [
                "First Paper Title", "Second Paper: With a Colon", "A Title Whose Abstract Is Missing",
                "Fourth Paper Title",
            ]
        )
        #expect(page.papers[2].abstract.isEmpty)
        #expect(page.papers[3].abstract.hasPrefix("The abstract of the fourth paper"))
        #expect(page.papers.allSatisfy { $0.id == PaperID(title: $0.title) && $0.announced == page.day })
        #expect(page.errors.isEmpty)
    }

    @Test(
        "date lines",
        arguments: [
            ("Mar 12", "2025-03-12"), ("March 12", "2025-03-12"), ("Sep 9", "2025-09-09"), ("Sept 9", "2025-09-09"),
            ("Mar 12, 2024", "2024-03-12"), ("12 March 2024", "2024-03-12"), ("2024-02-29", "2024-02-29"),
        ]
    )
    func dates(line: String, expected: String) {
        #expect(ListingPageParser.day(from: line, year: 2025)?.description == expected)
    }

    @Test(
        "lines that are not dates",
        arguments: ["Daily Papers", "Subscribe", "Feb 30", "Mar", "Marching 12", "May the force"])
    func notDates(line: String) {
        #expect(ListingPageParser.day(from: line, year: 2025) == nil)
    }

    @Test("a page without a date line is refused with its file")
    func noDate() {
        do {
            _ = try ListingPageParser(source: "page.txt", year: 2025).parse("Daily Papers\n\nA Title\n\nAn abstract.\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("page.txt:1: "))
            #expect(error.description.contains("no date line"))
        }
    }

    @Test("a paragraph where a title should be is reported with its line and skipped")
    func paragraphForTitle() throws {
        let long = String(repeating: "word ", count: 120)
        let text = "Mar 12\n\nGood Title\n\n\(long)\n\n\(long)\n\nNext Title\n\n\(long)\n"
        let page = try ListingPageParser(source: "page.txt", year: 2025).parse(text)
        #expect(page.papers.map(\.title) == ["Good Title", "Next Title"])
        #expect(page.errors.count == 1)
        #expect(page.errors.first?.line == 7)
    }

    @Test("the bundled demo pages parse whole", arguments: [0, 1, 2, 3, 4])
    func demoPages(number: Int) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(
                "Sources/PaperboyServices/Resources/demo/listing-00\(number).txt")
        let page = try ListingPageParser(source: url.lastPathComponent, year: 2026).parse(
            try String(contentsOf: url, encoding: .utf8))
        #expect(page.errors.isEmpty)
        #expect(page.papers.count > 50)
        #expect(page.papers.allSatisfy { !$0.abstract.isEmpty && $0.title.count < 300 })
    }
}
