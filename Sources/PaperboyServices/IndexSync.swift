public import Logging
public import PaperboyStore
public import ServiceLifecycle

/// Keeps a ``PaperIndex`` current with its store by following the change feed: the long-running
/// part of `serve` that makes papers ingested by another process (another node) searchable. It
/// reads the feed when woken (``wakeup``, signalled by a ``ChangeListener``'s notices) and at
/// least every `interval` (the fallback when notices are missed).
public struct IndexSync: Service {
    /// The index kept current.
    public let index: PaperIndex
    /// The store followed.
    public let store: any PaperStore
    /// Time between polls.
    public let interval: Duration
    /// Signalled when the store tells of a change.
    public let wakeup: Wakeup
    /// Called after changes were applied (empties caches that may hold answers from before them).
    private let onApplied: @Sendable (Int) -> Void
    private let logger: Logger

    /// Creates the service.
    public init(
        index: PaperIndex, store: any PaperStore, interval: Duration = .seconds(2), wakeup: Wakeup = Wakeup(),
        logger: Logger, onApplied: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.onApplied = onApplied
        self.index = index
        self.store = store
        self.interval = interval
        self.wakeup = wakeup
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let applied = try await self.index.catchUp(with: self.store)
                if applied > 0 {
                    self.logger.info("search index applied \(applied) changes")
                    self.onApplied(applied)
                }
            } catch {
                self.logger.error("search index could not follow the store: \(error)")
            }
            await self.wakeup.wait(upTo: self.interval)
        }
    }
}
