public import Logging
public import PaperboyStore
public import ServiceLifecycle

/// Passes a shared database's notices of writes on to this node: the index follower is woken
/// for papers, and every notice empties the node's caches (`onChange`). Listens again after a
/// dropped connection, with a pause; the followers' polling covers what is missed meanwhile.
public struct ChangeFollower: Service {
    private let listener: any ChangeListener
    private let wakeups: [Wakeup]
    private let onChange: @Sendable (StoreChange) -> Void
    private let logger: Logger

    /// Creates the follower.
    /// - Parameters:
    ///   - wakeups: signalled for every change of papers (the index and vector followers).
    ///   - onChange: called for every notice (empties the caches of lists).
    public init(
        listener: any ChangeListener, wakeups: [Wakeup], logger: Logger,
        onChange: @escaping @Sendable (StoreChange) -> Void
    ) {
        self.listener = listener
        self.wakeups = wakeups
        self.onChange = onChange
        self.logger = logger
    }

    public func run() async throws {
        let wakeups = self.wakeups
        let onChange = self.onChange
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.listener.listen { change in
                        if change == .papers { for wakeup in wakeups { wakeup.signal() } }
                        onChange(change)
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                self.logger.warning("change notices stopped (polling meanwhile): \(error)")
            }
            // Changes made while not listening: look once, then listen again.
            for wakeup in wakeups { wakeup.signal() }
            onChange(.community)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
