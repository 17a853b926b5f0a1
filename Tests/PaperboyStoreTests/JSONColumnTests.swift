import Foundation
import PaperboyModel
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("Stored lists")
struct JSONColumnTests {
    @Test(
        "author names with any characters round-trip",
        arguments: [
            ["plain"], ["quote \" inside", "back\\slash"], ["new\nline", "tab\there", "nul\u{1}ctl"],
            ["Zoë", "李雷", "😀 emoji"],
            [], [""],
        ]
    )
    func authors(_ names: [String]) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let paper = Paper(
            id: PaperID(title: "t"),
            title: "t",
            authors: names.map { Author(name: $0) },
            announced: CalendarDay(year: 2025, month: 1, day: 1)!
        )
        _ = try await store.upsert([paper])
        #expect(try await store.paper(id: paper.id)?.authors.map(\.name) == names)
    }
}
