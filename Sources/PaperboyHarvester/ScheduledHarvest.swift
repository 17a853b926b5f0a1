public import Logging
import PaperboyParsers
import PaperboyStore
public import ServiceLifecycle

/// Runs an OAI-PMH harvest now and then inside `paperboy serve`: the first right away, then every
/// `interval`, each incremental from where the last one finished. A failed run is logged and
/// retried at the next turn (its checkpoint keeps what landed).
public struct ScheduledHarvest: Service {
    /// The harvest.
    public let harvester: OAIHarvester
    /// Time between the end of one run and the start of the next.
    public let interval: Duration
    /// Where runs are reported.
    public let logger: Logger

    /// Creates the service.
    public init(harvester: OAIHarvester, interval: Duration, logger: Logger) {
        self.harvester = harvester
        self.interval = interval
        self.logger = logger
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
                let report = try await self.harvester.run { problem in
                    logger.warning("harvest: \(problem.description)")
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
