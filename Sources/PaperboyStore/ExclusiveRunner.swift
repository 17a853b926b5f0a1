/// Runs a job on one process at a time among several that share a database (the background
/// harvest: every node runs the schedule, one harvests, the others skip that turn).
public protocol ExclusiveRunner: Sendable {
    /// Runs `body` if no other process holds the job `name`, holding it meanwhile; returns `nil`
    /// at once (without running `body`) when another holds it.
    func runExclusively<T: Sendable>(
        _ name: String, _ body: @Sendable () async throws -> T
    ) async throws -> T?
}
