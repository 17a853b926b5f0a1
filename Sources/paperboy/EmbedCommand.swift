import ArgumentParser
import Foundation
import PaperboyEmbed
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// `paperboy embed status|run|rebuild`: the papers' vectors for semantic search.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute and inspect the papers' vectors for semantic and hybrid search.",
        discussion: """
            `serve` does this in the background; these commands are for a database nobody serves, \
            or to see how far it is. Vectors are kept in the database (reused by a rebuild and by \
            other nodes) and in a vector file in the index folder.
            """,
        subcommands: [Status.self, Run.self, Rebuild.self]
    )

    /// `paperboy embed status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say how many papers have vectors.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var index: IndexOptions
        @OptionGroup var semantic: SemanticOptions

        func run() async throws {
            let database = try await self.database.open()
            let store = database.papers
            let papers = try await store.count()
            print("papers: \(papers)")
            guard self.semantic.isPresent else {
                print("model: none in \(self.semantic.folder) (paperboy model fetch); search is keyword only")
                return
            }
            let index = try PaperIndex(path: self.index.path(for: self.database))
            let vectors = try await self.semantic.vectors(index: index, writer: false)
            try await vectors.catchUp(with: store, embeddings: database.storage.embeddings)
            let latest = try await store.latestSequence()
            let reached = await vectors.appliedSequence
            print("model: \(vectors.model.identity) (\(self.semantic.folder))")
            print("vectors in \(vectors.path): \(vectors.snapshot.count), up to change \(reached) of \(latest)")
            print(
                "vectors stored in the database: \(try await database.storage.embeddings.embeddingCount(model: vectors.model.identity))"
            )
            print(reached >= latest ? "up to date" : "\(latest - reached) changes to embed: paperboy embed run")
        }
    }

    /// `paperboy embed run`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Embed the papers that have no vector yet (or whose text changed), resumably.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var index: IndexOptions
        @OptionGroup var semantic: SemanticOptions

        func run() async throws {
            try await EmbedCommand.embed(self.database, self.index, self.semantic, rebuild: false)
        }
    }

    /// `paperboy embed rebuild`.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget the model's vectors (file and database) and embed every paper again.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var index: IndexOptions
        @OptionGroup var semantic: SemanticOptions

        func run() async throws {
            try await EmbedCommand.embed(self.database, self.index, self.semantic, rebuild: true)
        }
    }

    static func embed(
        _ database: DatabaseOptions, _ indexOptions: IndexOptions, _ semantic: SemanticOptions, rebuild: Bool
    ) async throws {
        let opened = try await database.open()
        let store = opened.papers
        let index = try PaperIndex(path: indexOptions.path(for: database))
        guard await index.isWriter else {
            throw ValidationErrorText(
                "another process (a running serve) holds \(index.directory.path) and embeds the papers itself")
        }
        let vectors = try await semantic.vectors(index: index, writer: true)
        if rebuild {
            let removed = try await vectors.rebuild(embeddings: opened.storage.embeddings)
            print("forgot \(removed) stored vectors of \(vectors.model.identity)")
        }
        let line = ProgressLine(noun: "changes")
        let applied = try await vectors.catchUp(with: store, embeddings: opened.storage.embeddings) { progress in
            line.update(
                progress.applied,
                fraction: progress.total > 0 ? Double(progress.applied) / Double(progress.total) : nil,
                detail: "\(progress.embedded) embedded")
        }
        line.finish()
        print(
            "applied \(applied) changes in \(String(format: "%.1f", line.elapsed)) s: \(vectors.snapshot.count) vectors (\(vectors.model.identity), \(vectors.model.encoder.kernels)) in \(vectors.path)"
        )
    }
}
