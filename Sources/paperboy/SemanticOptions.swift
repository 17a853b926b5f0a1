import ArgumentParser
import Foundation
import PaperboyEmbed
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// The embedding model option of the commands that search by meaning.
struct SemanticOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A sentence-transformers BERT model folder (default: all-MiniLM-L6-v2 in $PAPERBOY_MODELS, else ~/.cache/paperboy/models).",
            valueName: "dir"))
    var model: String?

    /// The folder chosen by flag or default.
    var folder: String {
        self.model ?? ModelInstaller(root: ModelInstaller.defaultRoot()).folder(for: .miniLM)
    }

    /// Whether the folder holds a model.
    var isPresent: Bool { FileManager.default.fileExists(atPath: self.folder + "/model.safetensors") }

    /// The model, or a message saying how to get it.
    func load() throws -> EmbeddingModel {
        guard self.isPresent else {
            throw ValidationErrorText(
                "no embedding model in \(self.folder): run `paperboy model fetch` (or give --model DIR)")
        }
        do {
            return try EmbeddingModel(folder: self.folder)
        } catch {
            throw ValidationErrorText(error.message)
        }
    }

    /// Search by meaning for a command: the vectors `serve` or `embed run` computed, read as they
    /// are (a command does not embed papers); keyword only without a model.
    func state(index: PaperIndex, storage: Storage) async throws -> SemanticState {
        let semantic = SemanticState()
        guard self.isPresent || self.model != nil else {
            semantic.update(.off(reason: "no embedding model (paperboy model fetch)"))
            return semantic
        }
        let vectors = try await self.vectors(index: index, writer: false)
        try await vectors.catchUp(with: storage.papers, embeddings: storage.embeddings)
        semantic.attach(vectors)
        semantic.update(
            vectors.snapshot.count > 0 ? .live : .off(reason: "no paper has a vector yet (paperboy embed run)"))
        return semantic
    }

    /// The vectors of the model in the index folder; read-only unless `writer`.
    func vectors(index: PaperIndex, writer: Bool) async throws -> PaperVectors {
        let model = try self.load()
        do {
            return try PaperVectors(folder: index.directory.path, model: model, isWriter: writer)
        } catch {
            throw ValidationErrorText(error.message)
        }
    }
}
