import ArgumentParser
import Foundation
import PaperboySQLite
import PaperboyStore

/// The `--database` option shared by the commands that open the store.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SQLite database file (default: $PAPERBOY_DATABASE, else ./paperboy.sqlite).",
            valueName: "path"
        )
    )
    var database: String?

    /// The path chosen by flag, environment or default.
    var path: String {
        if let database { return database }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PAPERBOY_DATABASE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "paperboy.sqlite"
    }

    /// Opens the store.
    func openStore() throws -> SQLitePaperStore {
        do {
            return try SQLitePaperStore(path: self.path)
        } catch {
            throw ValidationError(error.message)
        }
    }
}

/// The `--index` option: where the search index lives.
struct IndexOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The search index folder (default: $PAPERBOY_INDEX, else the database path plus .index).",
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
        return database.path + ".index"
    }
}
