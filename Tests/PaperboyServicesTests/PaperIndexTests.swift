import PaperboyModel
import PaperboySearch
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("Search index following the store")
struct PaperIndexTests {
    static let day = CalendarDay(year: 2025, month: 3, day: 12)!

    static func paper(_ id: String, _ title: String, _ abstract: String, authors: [String] = []) -> Paper {
        Paper(
            id: try! PaperID(parsing: id),
            title: title,
            abstract: abstract,
            authors: authors.map { Author(name: $0) },
            announced: day
        )
    }

    @Test("adds, updates and removals in the store show up after a catch-up")
    func follows() async throws {
        let store: any PaperStore = MemoryPaperStore()
        let directory = try TemporaryDirectory()
        let index = try PaperIndex(path: directory.path + "/index")
        let search = PaperSearch(index: index, store: store)
        _ = try await store.upsert([
            Self.paper(
                "2503.00001", "Diffusion models for images", "We denoise images step by step.",
                authors: ["Ada Lovelace"]),
            Self.paper("2503.00002", "Graph neural networks", "Message passing on graphs."),
            Self.paper("2503.00003", "Language models", "Transformers predict the next token."),
        ])
        #expect(try await index.catchUp(with: store) == 3)
        #expect(try await search.search("diffusion").results.map(\.paper.id.rawValue) == ["2503.00001"])
        #expect(try await search.search("lovelace").results.map(\.paper.id.rawValue) == ["2503.00001"])

        _ = try await store.upsert([Self.paper("2503.00002", "Diffusion on graphs", "Message passing on graphs.")])
        try await store.remove([PaperID(parsing: "2503.00001")])
        #expect(try await index.catchUp(with: store) == 2)
        #expect(try await search.search("diffusion").results.map(\.paper.id.rawValue) == ["2503.00002"])
        #expect(try await index.catchUp(with: store) == 0)
        #expect(try await index.appliedSequence == store.latestSequence())
        #expect(index.searcher.documentCount == 2)
    }

    @Test("results come best first with marked snippets; paging skips")
    func results() async throws {
        let store: any PaperStore = MemoryPaperStore()
        let directory = try TemporaryDirectory()
        let index = try PaperIndex(path: directory.path + "/index")
        _ = try await store.upsert([
            Self.paper("2503.00001", "Sparse attention", "Attention is sparse here."),
            Self.paper(
                "2503.00002", "Attention, attention",
                "Attention everywhere: attention in every layer, attention in every head."),
            Self.paper("2503.00003", "Unrelated", "Nothing to see."),
        ])
        try await index.catchUp(with: store)
        let search = PaperSearch(index: index, store: store)
        let found = try await search.search("attention", limit: 10)
        #expect(found.totalHits == 2)
        #expect(found.results.map(\.paper.id.rawValue) == ["2503.00002", "2503.00001"])
        #expect(found.results[0].title.parts.filter(\.isMatch).count == 2)
        #expect(found.results[0].abstract.parts.contains { $0.isMatch && $0.text == "Attention" })
        let second = try await search.search("attention", limit: 1, offset: 1)
        #expect(second.results.map(\.paper.id.rawValue) == ["2503.00001"])
        #expect(try await search.search("the of and").results.isEmpty)
    }
}
