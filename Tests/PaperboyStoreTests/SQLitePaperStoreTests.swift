import Foundation
import GRDB
import PaperboyModel
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("SQLitePaperStore")
struct SQLitePaperStoreTests {
    static let day = CalendarDay(year: 2025, month: 3, day: 12)!

    static func paper(_ n: Int, title: String? = nil) -> Paper {
        Paper(
            id: PaperID(try! ArxivID(parsing: "2503.\(10000 + n)")),
            title: title ?? "Paper \(n)",
            abstract: "Abstract \(n)",
            authors: [Author(name: "A. Author")],
            categories: ["cs.LG"],
            announced: day
        )
    }

    @Test("stores opening one new file at once (two nodes starting) all end migrated, none fails")
    func concurrentOpen() async throws {
        for round in 0..<4 {
            let directory = try TemporaryDirectory()
            let path = directory.path + "/new-\(round).sqlite"
            let opened = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask { try SQLitePaperStore(path: path).appliedMigrations() }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(opened.count == 3 && opened.allSatisfy { $0 == SQLitePaperStore.migrations })
        }
    }

    @Test("data and sequence survive closing and reopening the file")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/nested/dir/papers.sqlite"
        do {
            let store = try SQLitePaperStore(path: path)
            _ = try await store.upsert([Self.paper(1), Self.paper(2)])
        }
        let reopened = try SQLitePaperStore(path: path)
        #expect(try await reopened.count() == 2)
        #expect(try await reopened.latestSequence() == 2)
        #expect(try await reopened.upsert([Self.paper(1)]) == UpsertSummary(unchanged: 1))
        #expect(try await reopened.paper(id: Self.paper(2).id) == Self.paper(2))
    }

    @Test("a batch that fails part-way leaves nothing behind")
    func atomicBatch() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/papers.sqlite"
        let store = try SQLitePaperStore(path: path)
        _ = try await store.upsert([Self.paper(1)])
        // Make the database itself refuse one row, as a full disk or a crash would part-way.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON paper WHEN NEW.title = 'poison'
                    BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END
                    """
            )
        }
        var changed = Self.paper(1)
        changed.title = "Changed before the failure"
        await #expect(throws: StoreError.self) {
            try await store.upsert([changed, Self.paper(2), Self.paper(3, title: "poison"), Self.paper(4)])
        }
        #expect(try await store.count() == 1)
        #expect(try await store.paper(id: Self.paper(1).id)?.title == "Paper 1")
        #expect(try await store.latestSequence() == 1)
    }

    @Test("a corrupt row is reported with its id and column")
    func corruptRow() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/papers.sqlite"
        let store = try SQLitePaperStore(path: path)
        _ = try await store.upsert([Self.paper(1)])
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE paper SET authors = 'not json' WHERE id = '2503.10001'")
        }
        do {
            _ = try await store.paper(id: Self.paper(1).id)
            Issue.record("expected an error")
        } catch let error as StoreError {
            #expect(error.code == .corruptRow)
            #expect(error.message.contains("2503.10001"))
            #expect(error.message.contains("authors"))
        }
    }

    @Test("an unopenable path names the file")
    func unopenable() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path + "/file"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        do {
            _ = try SQLitePaperStore(path: blocker + "/papers.sqlite")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.message.contains(blocker))
        }
    }

    @Test("the file uses WAL so readers run beside the writer")
    func walMode() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/papers.sqlite"
        _ = try SQLitePaperStore(path: path)
        let queue = try DatabaseQueue(path: path)
        let mode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let migrations = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(
            migrations == [
                "0001-paper", "0002-paper-details-title-checkpoint", "0003-title-id-pending", "0004-member-session",
                "0005-upvote", "0006-community", "0007-digests", "0008-proven-address-deleted-comment",
                "0009-paper-embedding", "0010-paper-category-list-order", "0011-paper-feedback",
            ])
    }

    @Test("a new database and its WAL and shared-memory files are readable by their owner only")
    func privateFiles() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/papers.sqlite"
        let store = try SQLitePaperStore(path: path)
        _ = try await store.upsert([Paper(id: PaperID(title: "A"), title: "A", abstract: "", announced: .today())])
        for file in [path, path + "-wal", path + "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode & 0o777 == 0o600, "\(file): \(String(mode, radix: 8))")
        }
    }

    @Test(
        "a database from before migration 0002 gets title ids (title-only records find its papers) and category rows (0010)"
    )
    func migrationBackfill() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/old.sqlite"
        // The schema as migration 0001 left it, with one paper written then.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('0001-paper');
                    CREATE TABLE paper (
                        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sequence INTEGER NOT NULL UNIQUE,
                        announced TEXT NOT NULL, title TEXT NOT NULL, abstract TEXT NOT NULL, authors TEXT NOT NULL,
                        categories TEXT NOT NULL, versions TEXT NOT NULL, links TEXT NOT NULL);
                    CREATE INDEX paper_by_announced ON paper (announced, position);
                    CREATE TABLE paper_removal (id TEXT PRIMARY KEY, sequence INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
                    INSERT INTO paper (id, sequence, announced, title, abstract, authors, categories, versions, links)
                    VALUES ('2503.00001', 1, '2025-03-10', 'An Old Paper', 'Text.', '["A"]', '["cs.LG"]', '[]', '[]');
                    """)
        }
        try queue.close()
        let store = try SQLitePaperStore(path: path)
        let old = try #require(try await store.paper(id: PaperID(try ArxivID(parsing: "2503.00001"))))
        #expect(old.title == "An Old Paper" && old.comment == nil && !old.announcedIsEstimate)
        // Migration 0010 filled the category table that category lists page by.
        let category = try await store.list(ListQuery(scope: .all, category: "cs.LG", page: PageRequest()))
        #expect(category.cards.map(\.paper.id) == [old.id] && category.total == 1)
        let listed = Paper(id: PaperID(title: "an old paper!"), title: "an old paper!", announced: old.announced)
        let summary = try await store.upsert([listed])
        #expect(summary.added == 0, "the listing entry found the migrated paper by its title")
        #expect(try await store.count() == 1)
    }
}
