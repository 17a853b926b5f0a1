public import Logging
public import PaperboyStore
public import ServiceLifecycle

/// Keeps a ``PaperIndex`` current with its store by polling the change feed: the long-running
/// part of `serve` that makes papers ingested by another process searchable.
public struct IndexSync: Service {
    /// The index kept current.
    public let index: PaperIndex
    /// The store followed.
    public let store: any PaperStore
    /// Time between polls.
    public let interval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(index: PaperIndex, store: any PaperStore, interval: Duration = .seconds(2), logger: Logger) {
        self.index = index
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let applied = try await self.index.catchUp(with: self.store)
                if applied > 0 { self.logger.info("search index applied \(applied) changes") }
            } catch {
                self.logger.error("search index could not follow the store: \(error)")
            }
            try? await Task.sleep(for: self.interval)
        }
    }
}
