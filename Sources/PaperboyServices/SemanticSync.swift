import Dispatch
import Foundation
public import Logging
import PaperboyEmbed
import PaperboySearch
public import PaperboyStore
public import ServiceLifecycle

/// Makes search by meaning live in the background of `serve`: loads the embedding model (first
/// fetching it when it is absent and fetching is allowed), embeds the papers the vectors lack,
/// then follows the store's change feed. Keyword search works throughout; ``SemanticState``
/// says where this stands, for the log and `/health`. A model that cannot be had leaves the site
/// keyword-only, said plainly, and never stops it.
public struct SemanticSync: Service {
    /// What the site reads.
    public let state: SemanticState
    /// The search index, whose folder holds the vector file and whose writer lock decides which
    /// process embeds.
    public let index: PaperIndex
    /// The papers.
    public let store: any PaperStore
    /// Where vectors are kept for a rebuild or another node.
    public let embeddings: any EmbeddingStore
    /// The model's folder.
    public let modelFolder: String
    /// The installer and model to fetch when the folder is absent; nil: never fetch.
    public let fetch: (installer: ModelInstaller, source: ModelInstaller.Source)?
    /// Time between polls of the change feed.
    public let interval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(
        state: SemanticState, index: PaperIndex, store: any PaperStore, embeddings: any EmbeddingStore,
        modelFolder: String, fetch: (installer: ModelInstaller, source: ModelInstaller.Source)?,
        interval: Duration = .seconds(2), logger: Logger
    ) {
        self.state = state
        self.index = index
        self.store = store
        self.embeddings = embeddings
        self.modelFolder = modelFolder
        self.fetch = fetch
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // A shutdown cancels a fetch or a long catch-up at once (what was embedded is kept).
        try? await cancelWhenGracefulShutdown {
            if let vectors = await self.start() {
                await self.follow(vectors)
            }
            // Nothing more to do; a service that returns would stop the server.
            try await gracefulShutdown()
        }
    }

    /// Loads (or fetches, then loads) the model and opens its vectors; nil when there is none.
    private func start() async -> PaperVectors? {
        let present = FileManager.default.fileExists(atPath: self.modelFolder + "/model.safetensors")
        if !present {
            guard let fetch = self.fetch else {
                self.report(
                    .off(reason: "no embedding model in \(self.modelFolder) and fetching is off (--no-model-fetch)"))
                return nil
            }
            self.report(.fetching)
            let fetched = await Self.offThread { () throws(ServiceError) in
                try fetch.installer.install(fetch.source) { step in self.logger.info("model: \(step)") }
            }
            if case .failure(let error) = fetched {
                self.report(.failed(reason: "the embedding model could not be fetched: \(error.message)"))
                return nil
            }
        }
        let folder = self.modelFolder
        let loaded = await Self.offThread { () throws(ServiceError) in try EmbeddingModel(folder: folder) }
        let model: EmbeddingModel
        switch loaded {
        case .success(let value): model = value
        case .failure(let error):
            self.report(.failed(reason: error.message))
            return nil
        }
        let vectors: PaperVectors
        do {
            vectors = try PaperVectors(
                folder: self.index.directory.path, model: model, isWriter: await self.index.isWriter)
        } catch {
            self.report(.failed(reason: error.message))
            return nil
        }
        self.logger.info(
            "embedding model \(model.identity) loaded (\(model.encoder.kernels)); \(vectors.snapshot.count) vectors in \(vectors.path)"
        )
        self.state.attach(vectors)
        return vectors
    }

    /// Catches the vectors up, then polls for changes until shut down.
    private func follow(_ vectors: PaperVectors) async {
        var live = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let state = self.state
                let logger = self.logger
                let applied = try await vectors.catchUp(with: self.store, embeddings: self.embeddings) { progress in
                    state.update(.embedding(done: progress.applied, total: progress.total))
                    if progress.applied % 1_024 < 128 || progress.applied == progress.total {
                        logger.info(
                            "embedding papers: \(progress.applied) of \(progress.total) changes, \(progress.vectors) vectors (\(progress.embedded) computed)"
                        )
                    }
                }
                if !live || applied > 0 {
                    live = true
                    self.report(.live, detail: "\(vectors.snapshot.count) vectors")
                }
            } catch {
                self.logger.error("vectors could not follow the store: \(error)")
            }
            try? await Task.sleep(for: self.interval)
        }
    }

    private func report(_ status: SemanticState.Status, detail: String? = nil) {
        self.state.update(status)
        self.logger.info("search modes: \(status)\(detail.map { " (\($0))" } ?? "")")
    }

    /// Runs blocking work (a `python3` child, reading and hashing a model) on a thread of its
    /// own, never on the caller's executor.
    static func offThread<T: Sendable>(
        _ work: @escaping @Sendable () throws(ServiceError) -> T
    ) async -> Result<T, ServiceError> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(ServiceError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }
}
