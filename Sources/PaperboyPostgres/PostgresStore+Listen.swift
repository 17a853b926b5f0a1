public import PaperboyStore
import PostgresNIO

/// Notices of writes, from the `paperboy_changes` channel the schema's triggers notify on commit
/// (payload `papers` or `community`).
extension PostgresStore: ChangeListener {
    public func listen(_ onChange: @escaping @Sendable (StoreChange) -> Void) async throws {
        do {
            try await self.counted {
                try await self.client.withConnection { connection in
                    let notices = try await connection.listen("paperboy_changes")
                    for try await notice in notices {
                        if let change = StoreChange(rawValue: notice.payload) { onChange(change) }
                    }
                }
            }
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            throw StoreError(.io, "listening to PostgreSQL \(self.location): \(Self.describe(error))")
        }
    }
}
