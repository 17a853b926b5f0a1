import ArgumentParser
import Foundation
import PaperboyPostgres
import PaperboySQLite
import PaperboyStore

/// `paperboy migrate`: brings the database's schema up to this build's, and says what it did.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the schema migrations this build has that the database lacks.",
        discussion: """
            serve, ingest and every other command migrate the database when they open it; this \
            command does only that, for an upgrade done before the nodes start again. Migrations \
            are numbered and never edited once shipped. SQLite runs each in its own transaction; \
            PostgreSQL runs the missing ones in one transaction under an advisory lock. Either way \
            a failed migration leaves the database as it was, and two processes migrating at \
            once are safe.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only list the applied and pending migrations; change nothing.")
    var dryRun = false

    func run() async throws {
        let (before, known) = try await self.applied()
        let pending = known.filter { !before.contains($0) }
        if self.dryRun {
            print("database: \(self.location)")
            print("applied: \(before.isEmpty ? "none" : before.joined(separator: ", "))")
            print("pending: \(pending.isEmpty ? "none" : pending.joined(separator: ", "))")
            return
        }
        _ = try await self.database.open()
        let after = try await self.applied().applied
        let applied = after.filter { !before.contains($0) }
        print("database: \(self.location)")
        print(
            applied.isEmpty
                ? "up to date at \(after.last ?? "no migration")"
                : "migrated to \(after.last ?? "no migration"): \(applied.count) new "
                    + "(\(applied.joined(separator: ", ")))")
    }

    /// The database, named without a password.
    private var location: String {
        guard self.database.isPostgres, var components = URLComponents(string: self.database.path) else {
            return self.database.path
        }
        components.password = nil
        return components.string ?? "PostgreSQL"
    }

    /// The migrations applied (read without changing the database) and the ones this build knows.
    private func applied() async throws -> (applied: [String], known: [String]) {
        do {
            if self.database.isPostgres {
                let store = try await PostgresStore.open(url: self.database.path, migrate: false)
                return (try await store.appliedMigrations(), PostgresStore.migrations)
            }
            return (try SQLitePaperStore.appliedMigrations(atPath: self.database.path), SQLitePaperStore.migrations)
        } catch let error as StoreError {
            throw ValidationError(error.message)
        }
    }
}
