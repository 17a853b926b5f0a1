import Foundation
import PaperboyModel
import Testing

@Suite("Merging records of a paper")
struct PaperMergeTests {
    static let base = Paper(
        id: PaperID(title: "A paper"),
        title: "A paper",
        abstract: "The abstract.",
        authors: [Author(name: "A. Author")],
        categories: ["cs.LG"],
        announced: CalendarDay(year: 2025, month: 3, day: 12)!,
        versions: [PaperVersion(number: 1, submitted: Date(timeIntervalSince1970: 1_000))],
        links: [PaperLink(kind: .code, url: "https://example.com/a")]
    )

    @Test("merging a record with itself changes nothing")
    func idempotent() {
        #expect(Self.base.merged(with: Self.base) == Self.base)
    }

    @Test("newer text wins, empty fields never erase, the earliest day stays")
    func rules() {
        var newer = Self.base
        newer.title = "A better paper"
        newer.abstract = ""
        newer.authors = []
        newer.announced = CalendarDay(year: 2025, month: 3, day: 20)!
        newer.versions = [
            PaperVersion(number: 1), PaperVersion(number: 2, submitted: Date(timeIntervalSince1970: 2_000)),
        ]
        newer.links = [PaperLink(kind: .project, url: "https://example.com/p")]
        let merged = Self.base.merged(with: newer)
        #expect(merged.title == "A better paper")
        #expect(merged.abstract == "The abstract.")
        #expect(merged.authors == Self.base.authors)
        #expect(merged.announced == Self.base.announced)
        #expect(merged.versions.map(\.number) == [1, 2])
        #expect(
            merged.versions[0].submitted == Date(timeIntervalSince1970: 1_000),
            "a dated version is not replaced by an undated one")
        #expect(merged.links.count == 2)

        var earlier = Self.base
        earlier.announced = CalendarDay(year: 2025, month: 3, day: 1)!
        #expect(Self.base.merged(with: earlier).announced == earlier.announced)
    }
}

@Suite("Coding papers")
struct PaperCodingTests {
    @Test("a paper round-trips through JSON with its ids and days as strings")
    func roundTrip() throws {
        let json = try JSONEncoder().encode(PaperMergeTests.base)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""announced":"2025-03-12""#))
        #expect(text.contains(#""id":"\#(PaperMergeTests.base.id.rawValue)""#))
        #expect(try JSONDecoder().decode(Paper.self, from: json) == PaperMergeTests.base)
        #expect(try JSONDecoder().decode([ArxivID].self, from: Data(#"["2101.11408v2"]"#.utf8)).first?.version == 2)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2025-02-30"]"#.utf8))
        }
    }
}
