import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySQLite
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("Ingesting files")
struct IngesterTests {
    static let mixed = """
        {"id": "2101.00001", "title": "One", "abstract": "First.", "authors": ["A"], "categories": ["cs.LG"], "date": "2021-01-04"}
        {"id": "2101.00002", "title": "Two", "abstract": "Second.", "authors": ["B"], "categories": ["cs.CL"], "date": "2021-01-04"
        {"id": "2101.00003", "title": "Three", "abstract": "Third.", "authors": ["C"], "categories": ["cs.CV"], "date": "2021-01-05"}
        {"id": "2101.00004", "title": "", "abstract": "No title.", "authors": [], "categories": [], "date": "2021-01-05"}
        {"id": "2101.00005", "title": "Five", "abstract": "Fifth.", "authors": ["E"], "categories": ["cs.AI"], "date": "2021-01-06"}

        """

    static func write(_ text: String, in directory: TemporaryDirectory, name: String = "papers.jsonl") throws -> String
    {
        let path = directory.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("bad lines are reported and skipped; the rest land; a second run adds nothing", arguments: [1, 2, 100])
    func mixedFile(batchSize: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = try Self.write(Self.mixed, in: directory)
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let ingester = Ingester(store: store, options: .init(listingYear: 2026, batchSize: batchSize))
        var problems: [String] = []
        let first = try await ingester.ingest([path]) { problems.append($0.description) }
        #expect(first.records == 5)
        #expect(first.added == 3 && first.updated == 0 && first.unchanged == 0 && first.bad == 2)
        #expect(problems.count == 2)
        #expect(problems[0].hasPrefix(path + ":2: "))
        #expect(problems[1].hasPrefix(path + ":4: record 2101.00004: field 'title'"))
        #expect(try await store.count() == 3)
        #expect(try await store.paper(id: PaperID(parsing: "2101.00005"))?.title == "Five")

        var again: [String] = []
        let second = try await ingester.ingest([path]) { again.append($0.description) }
        #expect(second.added == 0 && second.updated == 0 && second.unchanged == 3 && second.bad == 2)
        #expect(try await store.latestSequence() == 3)
    }

    @Test("a changed record updates the paper in place")
    func update() async throws {
        let directory = try TemporaryDirectory()
        let store: any PaperStore = MemoryPaperStore()
        let ingester = Ingester(store: store, options: .init(listingYear: 2026))
        _ = try await ingester.ingest([try Self.write(Self.mixed, in: directory)]) { _ in }
        let revised =
            #"{"id": "2101.00003v2", "title": "Three, revised", "abstract": "Third.", "authors": ["C"], "categories": ["cs.CV"], "date": "2021-01-05"}"#
        let report = try await ingester.ingest([try Self.write(revised, in: directory, name: "v2.jsonl")]) { _ in }
        #expect(report.updated == 1 && report.added == 0)
        let paper = try await store.paper(id: PaperID(parsing: "2101.00003"))
        #expect(paper?.title == "Three, revised")
        #expect(paper?.versions.map(\.number) == [2])
        #expect(try await store.count() == 3)
    }

    @Test("an unreadable file is reported and the other files still land")
    func unreadableFile() async throws {
        let directory = try TemporaryDirectory()
        let good = try Self.write(Self.mixed, in: directory)
        var problems: [ParseError] = []
        let report = try await Ingester(store: MemoryPaperStore()).ingest([directory.path + "/missing.jsonl", good]) {
            problems.append($0)
        }
        #expect(report.failedFiles == 1)
        #expect(report.added == 3)
        #expect(problems.first?.code == .unreadable)
    }

    @Test("the bundled demo corpus loads once, five days of papers")
    func demo() async throws {
        let store: any PaperStore = MemoryPaperStore()
        let report = try await DemoCorpus.loadIfEmpty(into: store, year: 2026)
        #expect(DemoCorpus.files.count == 5)
        #expect((report?.added ?? 0) > 300)
        #expect(report?.bad == 0)
        #expect(try await store.announcementDays(limit: 10).count == 5)
        #expect(try await store.latestAnnouncementDay()?.description == "2026-09-09")
        #expect(try await DemoCorpus.loadIfEmpty(into: store, year: 2026) == nil)
    }

    static let realPapers = "data/arxiv/papers-156k.jsonl.gz"

    @Test(
        "the first 20,000 real arXiv papers land with no bad lines",
        .enabled(if: SharedData.url(realPapers) != nil, "needs ../shared/data/arxiv, which is absent: skipped")
    )
    func realData() async throws {
        let url = try #require(SharedData.url(Self.realPapers))
        let directory = try TemporaryDirectory()
        // Copy a prefix of the real file so the test stays quick in debug builds.
        let reader = try LineReader(path: url.path)
        var text = ""
        var count = 0
        while count < 20_000, let line = try reader.next() {
            text += line.text + "\n"
            count += 1
        }
        let path = try Self.write(text, in: directory)
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        var problems: [String] = []
        let report = try await Ingester(store: store).ingest([path]) { problems.append($0.description) }
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        #expect(report.added == 20_000)
        #expect(try await store.count() == 20_000)
    }
}
