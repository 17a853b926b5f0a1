import Foundation
import PaperboyModel
import PaperboyPostgres
import PaperboyStore
import Testing

/// The PostgreSQL server `scripts/test` starts (`PAPERBOY_TEST_POSTGRES`), one fresh schema per
/// store a test asks for.
enum PostgresTestDatabase {
    /// The server's address, when the test script started one.
    static let url = ProcessInfo.processInfo.environment["PAPERBOY_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether PostgreSQL tests run: with a server, and always in CI (where a missing server fails
    /// them instead of skipping them).
    static let enabled = url != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Why they are skipped otherwise.
    static let note: Testing.Comment =
        "PAPERBOY_TEST_POSTGRES is not set: scripts/test starts a PostgreSQL server and sets it"

    /// A store over a new, empty schema of the test server.
    static func store() async throws -> PostgresStore {
        try await Self.store(schema: Self.newSchema())
    }

    /// A name for a schema no test has used.
    static func newSchema() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// A store over `schema` of the test server (two stores over one schema: two nodes).
    static func store(schema: String) async throws -> PostgresStore {
        guard let url else {
            throw StoreError(.unavailable, "no PostgreSQL server for the tests (run scripts/test)")
        }
        return try await PostgresStore.open(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
    }

    /// A store with the two members ("one", "two") that vote and community checks use.
    static func storeWithMembers() async throws -> PostgresStore {
        let store = try await Self.store()
        for name in ["one", "two"] {
            _ = try await store.createMember(
                email: try EmailAddress(parsing: "\(name)@example.org"), displayName: name, passwordHash: "h",
                role: .member, at: Date())
        }
        return store
    }
}
