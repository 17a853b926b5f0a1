import ArgumentParser
import Foundation
import PaperboySQLite
import PaperboySearch
import PaperboyServices

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
