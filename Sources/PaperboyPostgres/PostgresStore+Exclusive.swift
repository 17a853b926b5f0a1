public import PaperboyStore
import PostgresNIO

/// One process at a time per job, with a session-level advisory lock held on one connection for
/// as long as the job runs: a node that dies mid-job loses its connection, and with it the lock.
extension PostgresStore: ExclusiveRunner {
    public func runExclusively<T: Sendable>(
        _ name: String, _ body: @Sendable () async throws -> T
    ) async throws -> T? {
        let key = "paperboy:" + name
        return try await self.counted {
            try await self.client.withConnection { connection -> T? in
                let rows = try await connection.rows(
                    "SELECT pg_try_advisory_lock(hashtext(\(key)))", logger: self.logger)
                guard try rows.first?.decode(Bool.self) == true else { return nil }
                do {
                    let value = try await body()
                    try await connection.execute("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: self.logger)
                    return value
                } catch {
                    try? await connection.execute("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: self.logger)
                    throw error
                }
            }
        }
    }
}
