import ArgumentParser
import Foundation
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
            are numbered, never edited once shipped, and each runs in its own transaction: a \
            failed one leaves the database as it was before it. Two processes migrating at once \
            are safe.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only list the applied and pending migrations; change nothing.")
    var dryRun = false

    func run() async throws {
        let path = self.database.path
        let before: [String]
        do {
            before = try SQLitePaperStore.appliedMigrations(atPath: path)
        } catch {
            throw ValidationError(error.message)
        }
        let pending = SQLitePaperStore.migrations.filter { !before.contains($0) }
        if self.dryRun {
            print("database: \(path)")
            print("applied: \(before.isEmpty ? "none" : before.joined(separator: ", "))")
            print("pending: \(pending.isEmpty ? "none" : pending.joined(separator: ", "))")
            return
        }
        let store = try self.database.openStore()
        let after: [String]
        do {
            after = try store.appliedMigrations()
        } catch {
            throw ValidationError(error.message)
        }
        let applied = after.filter { !before.contains($0) }
        print("database: \(path)")
        print(
            applied.isEmpty
                ? "up to date at \(after.last ?? "no migration")"
                : "migrated to \(after.last ?? "no migration"): \(applied.count) new "
                    + "(\(applied.joined(separator: ", ")))")
    }
}
