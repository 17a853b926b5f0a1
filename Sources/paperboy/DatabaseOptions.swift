import ArgumentParser
import Foundation
import Logging
import PaperboyPostgres
import PaperboySQLite
import PaperboyStore

/// The `--database` option shared by the commands that open the store: an SQLite file, or a
/// PostgreSQL server's `postgres://` address.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SQLite database file, or postgres://user@host[:port]/database (default: $PAPERBOY_DATABASE, else ./paperboy.sqlite).",
            valueName: "path-or-url"
        )
    )
    var database: String?

    /// The file or address chosen by flag, environment or default.
    var path: String {
        if let database { return database }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PAPERBOY_DATABASE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "paperboy.sqlite"
    }

    /// Whether the database is a PostgreSQL server.
    var isPostgres: Bool {
        let lowered = self.path.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Opens the SQLite file, for the commands that work on one file only.
    /// - Parameter command: what the user ran, for the message when the database is PostgreSQL.
    func openStore(for command: String = "this command") throws -> SQLitePaperStore {
        if self.isPostgres {
            throw ValidationError("\(command) works on an SQLite file; --database is a PostgreSQL address")
        }
        do {
            return try SQLitePaperStore(path: self.path)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Opens (and migrates) the database, whichever backend it is.
    func open(logger: Logger = Logger(label: "paperboy.database")) async throws -> OpenedDatabase {
        if self.isPostgres {
            do {
                let store = try await PostgresStore.open(url: self.path, logger: logger)
                return OpenedDatabase(storage: store.storage, description: store.location, postgres: store)
            } catch {
                throw ValidationError(error.message)
            }
        }
        let store = try self.openStore()
        return OpenedDatabase(storage: store.storage, description: store.path, sqlite: store)
    }
}

/// A database opened by ``DatabaseOptions/open(logger:)``: its stores, and the backend's own
/// handle for what only one backend does.
struct OpenedDatabase {
    /// Every store.
    var storage: Storage
    /// The file, or the address without its password.
    var description: String
    /// The SQLite store, when the database is a file.
    var sqlite: SQLitePaperStore? = nil
    /// The PostgreSQL store, when the database is a server.
    var postgres: PostgresStore? = nil

    /// The papers and their change feed.
    var papers: any PaperStore { self.storage.papers }
}

/// The `--index` option: where the search index lives.
struct IndexOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The search index folder (default: $PAPERBOY_INDEX, else the SQLite file's path plus .index, or ./paperboy.index for PostgreSQL; every node has its own).",
            valueName: "path"
        )
    )
    var index: String?

    /// The folder chosen by flag, environment or default.
    func path(for database: DatabaseOptions) -> String {
        if let index { return index }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PAPERBOY_INDEX"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return database.isPostgres ? "paperboy.index" : database.path + ".index"
    }
}
