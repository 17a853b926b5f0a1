import ArgumentParser
import Foundation
import PaperboySQLite
import PaperboyStore

/// `paperboy backup --to FILE`: a consistent copy of the database, safe while `serve` runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a file while the site keeps running (SQLite's online backup).",
        discussion: """
            The copy is the database as of the moment the backup began, checked for integrity, \
            readable by its owner only, and written to FILE.partial first, then renamed: FILE never \
            holds half a backup. To restore: stop serve, put the copy in place of the database \
            (removing its -wal and -shm files), remove the search index folder (DATABASE.index) or \
            run `paperboy index rebuild`, and start serve again.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Where the copy goes.", valueName: "file"))
    var to: String

    func validate() throws {
        if self.to.isEmpty { throw ValidationError("--to needs a file") }
        if URL(fileURLWithPath: self.to).standardizedFileURL
            == URL(fileURLWithPath: self.database.path).standardizedFileURL
        {
            throw ValidationError("--to is the database itself; choose another file")
        }
    }

    func run() async throws {
        if self.database.isPostgres {
            // PostgreSQL has its own consistent online backup: no second implementation here.
            throw ValidationErrorText(
                """
                backup copies an SQLite file; for PostgreSQL use its own tools, safe while the nodes run:
                  pg_dump --format=custom --file=\(self.to) 'postgres://USER@HOST:PORT/DATABASE'
                and to restore into an empty database (nodes stopped):
                  pg_restore --dbname='postgres://USER@HOST:PORT/DATABASE' \(self.to)
                (the search index and vector files are rebuilt by each node from the database)
                """)
        }
        guard FileManager.default.fileExists(atPath: self.database.path) else {
            throw ValidationError("no database at \(self.database.path)")
        }
        let store = try self.database.openStore()
        let clock = ContinuousClock()
        let start = clock.now
        let report: SQLitePaperStore.BackupReport
        do {
            report = try store.backup(to: self.to)
        } catch {
            throw ValidationError(error.message)
        }
        let seconds = (clock.now - start).seconds
        let rows = ["paper", "member", "comment", "subscription", "outbox"].compactMap { table in
            report.rows[table].map { "\($0) \(table)" }
        }.joined(separator: ", ")
        print(
            String(
                format: "backed up %@ to %@: %.1f MB in %.2f s (%@)", store.path, report.path,
                Double(report.bytes) / 1_048_576, seconds, rows))
    }
}
