import ArgumentParser
import Foundation
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// `paperboy index …`: the search index beside the database.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Inspect or rebuild the search index.",
        subcommands: [IndexStatus.self, IndexRebuild.self, IndexTorture.self, IndexTortureCheck.self]
    )
}

/// `paperboy index status`: segments, documents and how far the index is behind the database.
struct IndexStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the search index's state.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var index: IndexOptions

    func run() async throws {
        let database = try await self.database.open()
        let store = database.papers
        let index = try PaperIndex(path: self.index.path(for: self.database))
        let searcher = index.searcher
        let applied = await index.appliedSequence
        let latest = try await store.latestSequence()
        print("index:     \(index.directory.path)\(await index.isWriter ? "" : " (another process is writing it)")")
        print(
            "documents: \(searcher.documentCount) in \(searcher.segments.count) segments, \(searcher.byteCount / 1_048_576) MiB"
        )
        for reader in searcher.segments {
            print(
                "  \(reader.file.name): \(reader.file.documentCount) documents, \(reader.deletions?.count ?? 0) deleted, \(reader.file.termCount) terms"
            )
        }
        print("database:  \(database.description), \(try await store.count()) papers")
        print(
            "sequence:  index at \(applied), database at \(latest)\(applied == latest ? " (up to date)" : " (behind: run serve or search to catch up)")"
        )
    }
}

/// `paperboy index rebuild`: throw the index away and build it again from the database.
struct IndexRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the search index from the database (stop `serve` first)."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var index: IndexOptions

    func run() async throws {
        let store = try await self.database.open().papers
        let path = self.index.path(for: self.database)
        let lock = path + "/write.lock"
        if FileManager.default.fileExists(atPath: path) {
            // Refuse while a server writes it; then start from nothing.
            _ = try IndexDirectory(path: path)
            let probe = try PaperIndex(path: path)
            guard await probe.isWriter else {
                throw ValidationError("the index \(path) is in use by a running paperboy serve; stop it first")
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: path) where path + "/" + name != lock {
                try FileManager.default.removeItem(atPath: path + "/" + name)
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let index = try PaperIndex(path: path)
        let applied = try await index.catchUp(with: store)
        print(
            "rebuilt \(path): \(index.searcher.documentCount) papers from \(applied) changes in \(String(format: "%.1f", (clock.now - start).seconds)) s"
        )
    }
}

/// `paperboy index torture`: commits numbered batches of generated documents in a loop, printing
/// `committed N` after each; the crash test kills it mid-way and checks the index reopens at a
/// commit it can rebuild exactly.
struct IndexTorture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torture",
        abstract: "Commit generated batches in a loop (for the crash test).",
        shouldDisplay: false
    )

    @Option(help: "The index folder.")
    var directory: String

    @Option(help: "How many commits to make.")
    var commits = 1_000

    func run() async throws {
        let writer = try TortureWorkload.writer(self.directory)
        for commit in 1...self.commits {
            try TortureWorkload.apply(commit: commit, to: writer)
            try writer.commit(userData: ["commit": String(commit)])
            print("committed \(commit)")
            fflush(nil)
        }
    }
}

/// `paperboy index torture-check`: after `torture` was killed, reopen its folder and check it
/// holds exactly the state of its last commit, rebuilt from scratch in a fresh folder.
struct IndexTortureCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torture-check",
        abstract: "Check a killed torture run's index against a replay of its last commit.",
        shouldDisplay: false
    )

    @Option(help: "The index folder.")
    var directory: String

    @Option(help: "The last commit the killed writer reported.")
    var reported: Int

    func run() async throws {
        let reopened = try TortureWorkload.writer(self.directory)
        let commit = Int(reopened.userData["commit"] ?? "0") ?? 0
        guard commit == self.reported || commit == self.reported + 1 else {
            throw ValidationError(
                "the index reopened at commit \(commit), but the writer had reported \(self.reported)")
        }
        let replay = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paperboy-replay-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: replay) }
        let fresh = try TortureWorkload.writer(replay)
        var committed = fresh.searcher
        for number in stride(from: 1, through: commit, by: 1) {
            try TortureWorkload.apply(commit: number, to: fresh)
            // The snapshot of the commit itself: a merge may follow it, to land at the next commit.
            committed = try fresh.commit(userData: ["commit": String(number)])
        }
        let expected = try TortureWorkload.results(committed)
        let actual = try TortureWorkload.results(reopened.searcher)
        guard expected == actual, committed.documentCount == reopened.searcher.documentCount else {
            func describe(_ searcher: Searcher) -> String {
                searcher.segments.map { "\($0.file.name):\($0.file.documentCount)-\($0.deletions?.count ?? 0)" }.joined(
                    separator: " ")
            }
            print("replayed: \(describe(committed))\nreopened: \(describe(reopened.searcher))")
            for (left, right) in zip(expected, actual) where left != right {
                print("  replay:   \(left.prefix(200))\n  reopened: \(right.prefix(200))")
            }
            throw ValidationError("the reopened index differs from commit \(commit) replayed")
        }
        // The recovered index takes further commits.
        try TortureWorkload.apply(commit: commit + 1, to: reopened)
        try reopened.commit(userData: ["commit": String(commit + 1)])
        print(
            "commit \(commit) (reported \(self.reported)): \(actual.count) queries identical, \(reopened.searcher.documentCount) documents"
        )
    }
}

/// The deterministic work of ``IndexTorture``: commit `n` adds a batch, replaces and deletes a few
/// of the earlier documents. Merges run inside commits, so replaying the same commits gives the
/// same segments.
public enum TortureWorkload {
    static let schema = IndexSchema(fields: [.init(name: "title", weight: 2), .init(name: "body")])
    static let words = [
        "graph", "neural", "network", "diffusion", "model", "language", "vision", "robot", "learning", "sparse",
        "attention", "kernel", "bayesian", "optimal", "transport", "quantum", "protein", "causal", "reward", "agent",
    ]
    static let queries = ["graph neural network", "diffusion model", "quantum protein", "sparse attention kernel"]

    static func writer(_ directory: String) throws -> IndexWriter {
        let writer = try IndexWriter(directory: IndexDirectory(path: directory), schema: Self.schema)
        writer.backgroundMerges = false
        writer.mergeFactor = 4
        return writer
    }

    static func apply(commit: Int, to writer: IndexWriter) throws {
        var generator = SeededGenerator(seed: UInt64(commit))
        for n in 0..<40 {
            let id = commit * 40 + n
            let title = (0..<4).map { _ in Self.words.randomElement(using: &generator)! }.joined(separator: " ")
            let body = (0..<30).map { _ in Self.words.randomElement(using: &generator)! }.joined(separator: " ")
            try writer.add(Document(key: "d\(id)", fields: [title, body + " \(id)"]))
        }
        if commit > 1 {
            for _ in 0..<5 { writer.delete(key: "d\(Int.random(in: 40..<(commit * 40), using: &generator))") }
            let replaced = Int.random(in: 40..<(commit * 40), using: &generator)
            try writer.add(Document(key: "d\(replaced)", fields: ["replaced in \(commit)", "replacement body"]))
        }
    }

    /// The results of the fixed queries over a snapshot.
    static func results(_ searcher: Searcher) throws -> [String] {
        let parser = QueryParser(schema: Self.schema, analyzer: searcher.analyzer)
        return try Self.queries.map { text in
            searcher.search(try parser.parse(text), limit: 20).hits.map { "\($0.key)=\($0.score)" }.joined(
                separator: ",")
        }
    }
}
