import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySQLite
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

/// Ingesting every source format into SQLite, the way `paperboy ingest FILE…` does.
@Suite("Ingesting every source format")
struct SourceIngestTests {
    /// The parser tests' fixtures, read from the checkout.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PaperboyParsersTests/Fixtures/arxiv/" + name).path
    }

    static let files = [
        "oai-arxivraw-page1.xml", "oai-arxiv-page2.xml", "api-query.xml", "feed-cs.CV.atom", "daily-papers.json",
        "kaggle-snapshot.jsonl",
    ].map(fixture)

    @Test("all formats land, deletions included; ingesting any of them again changes nothing")
    func idempotent() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let ingester = Ingester(store: store)
        var problems: [String] = []
        let first = try await ingester.ingest(Self.files) { problems.append($0.description) }
        #expect(first.failedFiles == 0)
        #expect(first.bad == problems.count && first.bad == 5, "\(problems)")
        #expect(first.added > 0)
        // Sources may spell the same version differently ("C.-P. Yuan", "C. -P. Yuan"); the last
        // one read wins, and reading it again changes nothing.
        for file in Self.files {
            _ = try await ingester.ingest([file]) { _ in }
            let again = try await ingester.ingest([file]) { _ in }
            #expect(again.added == 0 && again.updated == 0 && again.removed == 0, "\(file): \(again.summary)")
        }
        // 0704.0001 came from OAI-PMH and the snapshot: one paper with both versions.
        let paper = try #require(try await store.paper(id: PaperID(try ArxivID(parsing: "0704.0001"))))
        #expect(paper.versions.map(\.number) == [1, 2])
        #expect(try await store.paper(id: PaperID(try ArxivID(parsing: "0704.0002"))) == nil)
    }

    @Test("a replacement announced in a feed updates the paper in place and keeps the old text")
    func newerVersion() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let ingester = Ingester(store: store)
        _ = try await ingester.ingest([Self.fixture("oai-arxivraw-page1.xml")]) { _ in }
        let count = try await store.count()
        let report = try await ingester.ingest([Self.fixture("feed-cs.LG.rss")]) { _ in }
        #expect(report.updated == 1, "0704.0001 v3 replaces v2")
        #expect(try await store.count() == count + 2, "the two new papers of the feed, not a third copy of 0704.0001")
        let paper = try #require(try await store.paper(id: PaperID(try ArxivID(parsing: "0704.0001"))))
        #expect(paper.title.hasSuffix("(revised)"))
        #expect(paper.abstract == "A revised abstract.")
        #expect(paper.versions.map(\.number) == [1, 2, 3])
        #expect(paper.versions[1].title?.hasSuffix("LHC energies") == true, "v2 keeps its title")
        #expect(paper.versions[1].abstract?.hasPrefix("A fully differential") == true, "and its abstract")
        #expect(paper.announced == CalendarDay(year: 2007, month: 4, day: 2), "the first announcement stays")
    }

    @Test("a daily-papers item known only by title merges into the arXiv record that arrives later")
    func titleMerge() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        _ = try await Ingester(store: store).ingest([Self.fixture("daily-papers.json")]) { _ in }
        let titleID = PaperID(title: "A Paper Without an arXiv Id")
        #expect(try await store.paper(id: titleID) != nil)
        var real = Paper(
            id: PaperID(try ArxivID(parsing: "2502.99999")), title: "A paper without an arXiv id.",
            abstract: "The real abstract.", announced: CalendarDay(year: 2025, month: 2, day: 10)!,
            announcedIsEstimate: true)
        real.versions = [PaperVersion(number: 1)]
        _ = try await store.upsert([real])
        #expect(try await store.paper(id: titleID) == nil)
        let merged = try #require(try await store.paper(id: real.id))
        #expect(merged.announced == CalendarDay(year: 2025, month: 2, day: 18), "the daily list's day")
        #expect(merged.abstract == "The real abstract.")
    }
}
