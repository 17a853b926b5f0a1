import GRDB

/// The SQLite schema as numbered migrations.
///
/// A migration that has shipped is never edited: change the schema by appending a new one. GRDB
/// records the applied identifiers in `grdb_migrations` and runs each missing one once, in order,
/// in its own transaction.
enum SQLiteMigrations {
    /// Identifier and SQL, in order.
    static let all: [(identifier: String, sql: String)] = [
        (
            "0001-paper",
            """
            CREATE TABLE paper (
                position   INTEGER PRIMARY KEY,   -- first-stored order, the order of a day's list
                id         TEXT    NOT NULL UNIQUE,
                sequence   INTEGER NOT NULL UNIQUE, -- store-wide change sequence number
                announced  TEXT    NOT NULL,      -- YYYY-MM-DD
                title      TEXT    NOT NULL,
                abstract   TEXT    NOT NULL,
                authors    TEXT    NOT NULL,      -- JSON array of names, in order
                categories TEXT    NOT NULL,      -- JSON array, primary first
                versions   TEXT    NOT NULL,      -- JSON array of {"n": number, "t": unix seconds}
                links      TEXT    NOT NULL       -- JSON array of {"kind": …, "url": …}
            );
            CREATE INDEX paper_by_announced ON paper (announced, position);
            CREATE TABLE paper_removal (
                id       TEXT    PRIMARY KEY,
                sequence INTEGER NOT NULL UNIQUE
            ) WITHOUT ROWID;
            """
        )
    ]

    /// A migrator that applies ``all``.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Self.all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }
}
