import Foundation
import Hummingbird
import PaperboyModel
import Testing

@testable import PaperboyWeb

@Suite("The API's list writer")
struct JSONWriterTests {
    @Test("writes exactly what JSONEncoder writes, escapes included")
    func sameAsEncoder() throws {
        let paper = Paper(
            id: try PaperID(parsing: "hep-th/9901001"),
            title: "Quotes \" and \\ back\u{1}slashes / slashes, \t tabs",
            abstract: "Line one\nline two\r\n\u{0C}Ünïcödé 🚀 <b>&</b>",
            authors: [Author(name: "Ada \"A\" Lovelace"), Author(name: "Élodie")],
            categories: ["hep-th", "math.AP"],
            announced: CalendarDay(year: 1999, month: 1, day: 4)!)
        let items = [
            HFDailyPaper(paper, upvotes: 3, comments: 2, submittedBy: "Grace \"G\" Hopper"),
            HFDailyPaper(paper, upvotes: 0),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try JSONSerialization.jsonObject(with: try encoder.encode(items)) as? NSArray
        let written = JSONWriter.dailyPapers(items)
        let data = Data(written.readableBytesView)
        let actual = try JSONSerialization.jsonObject(with: data) as? NSArray
        #expect(actual == expected)
        #expect(String(decoding: data, as: UTF8.self) == String(decoding: try encoder.encode(items), as: UTF8.self))
    }
}
