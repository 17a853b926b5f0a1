import Foundation
import PaperboyEmbed
import PaperboyModel
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

/// Semantic and hybrid search, similar papers and the vectors following the store, with the real
/// all-MiniLM-L6-v2 (`paperboy model fetch`; the test script fetches it first).
@Suite("Semantic and hybrid search")
struct SemanticSearchTests {
    static let day = CalendarDay(year: 2025, month: 3, day: 12)!

    static var modelFolder: String? {
        let folder = ModelInstaller(root: ModelInstaller.defaultRoot()).folder(for: .miniLM)
        return FileManager.default.fileExists(atPath: folder + "/model.safetensors") ? folder : nil
    }

    static func paper(_ number: Int, _ title: String, _ abstract: String, category: String = "cs.LG") -> Paper {
        Paper(
            id: try! PaperID(parsing: String(format: "2503.%05d", number)), title: title, abstract: abstract,
            authors: [Author(name: "Ada Lovelace")], categories: [category], announced: day)
    }

    static let papers = [
        paper(
            1, "Learning dexterous manipulation for robot hands",
            "A robotic arm learns to pick up and grasp household objects from demonstrations.", category: "cs.RO"),
        paper(
            2, "Denoising diffusion for image synthesis", "We generate photographs by reversing a noising process.",
            category: "cs.CV"),
        paper(
            3, "Protein structure prediction with transformers",
            "Amino acid sequences are folded into three-dimensional structures.", category: "q-bio.BM"),
        paper(
            4, "Tax policy and economic growth", "An econometric study of how income taxes affect national output.",
            category: "econ.GN"),
        paper(
            5, "Quadruped locomotion on rough terrain",
            "Legged robots learn to walk over rocks with reinforcement learning.", category: "cs.RO"),
        paper(
            6, "Speech recognition for low-resource languages",
            "Automatic transcription of spoken audio in languages with little data.", category: "cs.CL"),
    ]

    struct World {
        let store: MemoryPaperStore
        let embeddings: MemoryEmbeddingStore
        let index: PaperIndex
        let vectors: PaperVectors
        let search: PaperSearch
        let directory: TemporaryDirectory
    }

    static func world() async throws -> World {
        let store = MemoryPaperStore()
        _ = try await store.upsert(Self.papers)
        let directory = try TemporaryDirectory()
        let index = try PaperIndex(path: directory.path + "/index")
        try await index.catchUp(with: store)
        let model = try EmbeddingModel(folder: Self.modelFolder!)
        let vectors = try PaperVectors(folder: directory.path + "/index", model: model)
        let embeddings = MemoryEmbeddingStore()
        try await vectors.catchUp(with: store, embeddings: embeddings)
        let state = SemanticState()
        state.attach(vectors)
        state.update(.live)
        return World(
            store: store, embeddings: embeddings, index: index, vectors: vectors,
            search: PaperSearch(index: index, store: store, semantic: state), directory: directory)
    }

    @Test(
        "semantic search finds meaning without shared words; filters and exclusions apply to it; hybrid ranks both",
        .enabled(if: Self.modelFolder != nil, "needs the model (paperboy model fetch)"))
    func modes() async throws {
        let world = try await Self.world()
        #expect(world.search.defaultMode == .hybrid)
        // No word in common with paper 1 (stemmed: "machine", "pick", … are not in its text).
        let semantic = try await world.search.search("mechanical gripper grabbing items", limit: 3, mode: .semantic)
        #expect(semantic.mode == .semantic)
        #expect(semantic.results.first?.paper.id.rawValue == "2503.00001")
        let keyword = try await world.search.search("mechanical gripper grabbing items", limit: 3, mode: .keyword)
        #expect(keyword.results.isEmpty)
        let filtered = try await world.search.search("robots cat:cs.RO", limit: 10, mode: .semantic)
        #expect(Set(filtered.results.map(\.paper.id.rawValue)) == ["2503.00001", "2503.00005"])
        #expect(filtered.totalHitsIsExact && filtered.totalHits == 2)
        let excluded = try await world.search.search("robots -terrain", limit: 10, mode: .semantic)
        #expect(!excluded.results.contains { $0.paper.id.rawValue == "2503.00005" })
        let hybrid = try await world.search.search("robot learning", limit: 3)
        #expect(hybrid.mode == .hybrid)
        #expect(Set(hybrid.results.prefix(2).map(\.paper.id.rawValue)) == ["2503.00001", "2503.00005"])
        // Only filters: the keyword engine answers.
        let filtersOnly = try await world.search.search("cat:cs.CV", mode: .hybrid)
        #expect(filtersOnly.mode == .keyword && filtersOnly.results.map(\.paper.id.rawValue) == ["2503.00002"])
    }

    @Test(
        "an exact arXiv id, arXiv URL or title is pinned first",
        .enabled(if: Self.modelFolder != nil, "needs the model (paperboy model fetch)"))
    func pinning() async throws {
        let world = try await Self.world()
        for query in ["2503.00004", "https://arxiv.org/abs/2503.00004v2", "tax policy and Economic Growth!"] {
            for mode in SearchMode.allCases {
                let found = try await world.search.search(query, limit: 3, mode: mode)
                #expect(found.results.first?.paper.id.rawValue == "2503.00004", "\(query) in \(mode)")
                #expect(found.results.first?.isPinned == true)
                #expect(Set(found.results.map(\.paper.id)).count == found.results.count)
            }
        }
    }

    @Test(
        "similar papers: nearest by vector, itself left out; by words when it has no vector",
        .enabled(if: Self.modelFolder != nil, "needs the model (paperboy model fetch)"))
    func similar() async throws {
        let world = try await Self.world()
        let id = try PaperID(parsing: "2503.00001")
        let found = try await world.search.similar(to: id, limit: 3)
        #expect(found.by == .vectors)
        #expect(found.papers.first?.paper.id.rawValue == "2503.00005")
        #expect(!found.papers.contains { $0.paper.id == id })
        #expect(found.papers.map(\.score) == found.papers.map(\.score).sorted(by: >))
        let bare = PaperSearch(index: world.index, store: world.store)
        let byWords = try await bare.similar(to: id, limit: 3)
        #expect(byWords.by == .words)
        #expect(!byWords.papers.contains { $0.paper.id == id })
        await #expect(throws: ServiceError.self) {
            try await world.search.similar(to: try PaperID(parsing: "2503.09999"))
        }
    }

    @Test(
        "vectors follow the store: reused from the file and from the store, re-embedded when the text changes, gone when the paper goes",
        .enabled(if: Self.modelFolder != nil, "needs the model (paperboy model fetch)"))
    func following() async throws {
        let world = try await Self.world()
        #expect(world.vectors.snapshot.count == 6)
        #expect(try await world.embeddings.embeddingCount(model: world.vectors.model.identity) == 6)
        // Reopened: the file has them all and the sequence reached.
        let reopened = try PaperVectors(folder: world.directory.path + "/index", model: world.vectors.model)
        #expect(reopened.snapshot.count == 6)
        #expect(try await reopened.catchUp(with: world.store, embeddings: world.embeddings) == 0)
        // A new folder (a new node): every vector comes from the store, none embedded.
        let other = try TemporaryDirectory()
        let node = try PaperVectors(folder: other.path, model: world.vectors.model)
        let counter = Counter()
        try await node.catchUp(with: world.store, embeddings: world.embeddings) { counter.set($0.embedded) }
        #expect(node.snapshot.count == 6)
        #expect(counter.value == 0)
        // A changed abstract is embedded again; a removed paper's vector goes.
        var changed = Self.papers[3]
        changed.abstract = "Robots that climb stairs and open doors."
        _ = try await world.store.upsert([changed])
        _ = try await world.store.remove([try PaperID(parsing: "2503.00006")])
        try await node.catchUp(with: world.store, embeddings: world.embeddings) { counter.set($0.embedded) }
        #expect(counter.value == 1)
        #expect(node.snapshot.count == 5)
        #expect(node.snapshot.vector(of: "2503.00006") == nil)
        let stored = try await world.embeddings.embeddings(model: node.model.identity, ids: [changed.id])
        #expect(
            stored[changed.id]?.textHash
                == EmbeddingModel.textHash(EmbeddingModel.text(title: changed.title, abstract: changed.abstract)))
    }

    @Test(
        "a long query embeds its first 64 word pieces only, and a repeated one comes from the cache",
        .enabled(if: Self.modelFolder != nil, "needs the model (paperboy model fetch)"))
    func queryLength() async throws {
        let model = try EmbeddingModel(folder: Self.modelFolder!)
        let long = String(repeating: "robot ", count: 600)
        #expect(model.encoder.tokenizer.ids(long).count == 256)
        let cut = await model.embedQuery(long)
        let same = await model.embedQuery(String(repeating: "robot ", count: 70))
        #expect(cut == same)
        #expect(await model.embedQuery(long) == cut)
        #expect(await model.embedQuery("robot") != cut)
    }

    @Test("without vectors, semantic and hybrid fall back to keyword and say why")
    func fallback() async throws {
        let store = MemoryPaperStore()
        _ = try await store.upsert(Self.papers)
        let directory = try TemporaryDirectory()
        let index = try PaperIndex(path: directory.path + "/index")
        try await index.catchUp(with: store)
        let search = PaperSearch(
            index: index, store: store, semantic: SemanticState(status: .off(reason: "no model here")))
        #expect(search.defaultMode == .keyword)
        let found = try await search.search("diffusion", mode: .semantic)
        #expect(found.mode == .keyword)
        #expect(found.modeNote?.contains("no model here") == true)
        #expect(found.results.first?.paper.id.rawValue == "2503.00002")
        await #expect(throws: ServiceError.self) { try await search.search("title:", mode: .hybrid) }
    }
}

/// A value set from a progress callback.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    var value: Int { self.lock.withLock { self.stored } }
    func set(_ value: Int) { self.lock.withLock { self.stored = value } }
}
