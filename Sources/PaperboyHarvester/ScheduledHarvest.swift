public import Logging
import PaperboyParsers
public import PaperboyStore
public import ServiceLifecycle

/// Runs an OAI-PMH harvest now and then inside `paperboy serve`: the first right away, then every
/// `interval`, each incremental from where the last one finished. A failed run is logged and
/// retried at the next turn (its checkpoint keeps what landed). With several nodes on one
/// database, each turn runs on whichever node takes the job first (``ExclusiveRunner``); the
/// others skip it.
public struct ScheduledHarvest: Service {
    /// The harvest.
    public let harvester: OAIHarvester
    /// Time between the end of one run and the start of the next.
    public let interval: Duration
    /// Where runs are reported.
    public let logger: Logger
    /// Keeps other nodes from harvesting at the same time, when several share the database.
    public let exclusive: (any ExclusiveRunner)?

    /// Creates the service.
    public init(
        harvester: OAIHarvester, interval: Duration, exclusive: (any ExclusiveRunner)? = nil, logger: Logger
    ) {
        self.harvester = harvester
        self.interval = interval
        self.exclusive = exclusive
        self.logger = logger
    }

    /// One harvest, on this node only if no other node is harvesting; `nil` when skipped.
    private func harvestOnce() async throws -> OAIHarvester.Report? {
        let harvester = self.harvester
        let logger = self.logger
        let run: @Sendable () async throws -> OAIHarvester.Report = {
            try await harvester.run { problem in logger.warning("harvest: \(problem.description)") }
        }
        guard let exclusive = self.exclusive else { return try await run() }
        return try await exclusive.runExclusively("harvest", run)
    }

    /// Runs until cancelled or until the service group shuts down gracefully (which cancels the
    /// wait between runs and the run under way; its checkpoint keeps what landed).
    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await self.loop() }
    }

    private func loop() async throws {
        let logger = self.logger
        while !Task.isCancelled {
            do {
                guard let report = try await self.harvestOnce() else {
                    logger.info("harvest: another node is harvesting; skipped this turn")
                    try await Task.sleep(for: self.interval)
                    continue
                }
                logger.info(
                    "harvest of \(self.harvester.options.set ?? "all sets"): \(report.records) records in \(report.pages) pages; added \(report.summary.added), updated \(report.summary.updated), removed \(report.summary.removed), bad \(report.bad)"
                )
            } catch is CancellationError {
                return
            } catch {
                logger.error("harvest stopped: \(error); retrying in \(self.interval)")
            }
            do {
                try await Task.sleep(for: self.interval)
            } catch {
                return
            }
        }
    }
}
