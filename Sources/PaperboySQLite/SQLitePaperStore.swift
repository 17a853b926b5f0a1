import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// A ``PaperStore`` in one SQLite file: the embedded default.
///
/// The file is opened as a GRDB `DatabasePool` in WAL mode, so reads run beside a write; the
/// schema is brought up to date by ``SQLiteMigrations`` when the store opens.
public struct SQLitePaperStore: PaperStore {
    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Creates an empty file at `path`, readable and writable by its owner only, unless one is
    /// there. SQLite gives its `-wal` and `-shm` files the database file's mode, so they are
    /// private too: the database holds password hashes and addresses.
    static func createPrivately(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw StoreError(.unavailable, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        // A file made by an earlier version may be readable by others: close it to them.
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            if stat(file, &status) == 0, status.st_uid == geteuid(), status.st_mode & 0o077 != 0 {
                chmod(file, status.st_mode & 0o700)
            }
        }
    }

    /// Opens (creating if needed) the database at `path` and migrates it.
    ///
    /// - Throws: ``StoreError`` with code `unavailable` or `migration`, naming the file.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            db.add(function: Self.trendingScore)
            // New files get 8 KiB pages (rows are 1–3 KiB); existing files keep theirs.
            try db.execute(sql: "PRAGMA page_size = 8192")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Pages read through a memory map, not a pread and a copy each (readers share the
            // kernel's cache of the file).
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            if !db.configuration.readonly {
                // The writer: a 64 MiB page cache (bulk ingests touch indexes all over) and fewer,
                // larger WAL checkpoints.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            }
        }
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.createPrivately(path)
            self.pool = try Self.openPool(path: path, configuration: configuration)
        } catch {
            throw StoreError(.unavailable, "cannot open SQLite database \(path): \(Self.describe(error))")
        }
        // Each migration commits alone. Another process migrating the same file at once (two
        // nodes starting) can commit one between this one's reading what is applied and applying
        // it: that attempt fails and rolls back, and the next reads the list again.
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                try SQLiteMigrations.migrator.migrate(self.pool)
                break
            } catch {
                if ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.05)
                    continue
                }
                throw StoreError(.migration, "cannot migrate SQLite database \(path): \(Self.describe(error))")
            }
        }
    }

    /// The pool over `path`. Turning a new file to WAL takes a lock that no busy timeout waits
    /// for: when another process holds it (two nodes starting on a new file), try again for up to
    /// 10 s before giving up.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline
            {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// The schema migrations this build knows, oldest first.
    public static var migrations: [String] { SQLiteMigrations.all.map(\.identifier) }

    /// The migrations applied to the database, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            let applied = Set(try self.pool.read { try SQLiteMigrations.migrator.appliedIdentifiers($0) })
            return Self.migrations.filter(applied.contains)
        } catch {
            throw StoreError(.unavailable, "cannot read the migrations of \(self.path): \(Self.describe(error))")
        }
    }

    /// The migrations applied to the database at `path`, read without changing it; none when
    /// there is no file yet.
    public static func appliedMigrations(atPath path: String) throws(StoreError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            // A file another process is creating may not have the migrations table yet.
            let applied = Set(
                try queue.read { db in
                    try db.tableExists("grdb_migrations") ? try SQLiteMigrations.migrator.appliedIdentifiers(db) : []
                })
            return Self.migrations.filter(applied.contains)
        } catch {
            throw StoreError(.unavailable, "cannot read the migrations of \(path): \(Self.describe(error))")
        }
    }

    public func write(_ batch: StoreBatch) async throws -> UpsertSummary {
        // Rows are encoded on the caller's task, outside the single writer's transaction.
        let rows = PreparedRows(rows: batch.papers.map(PaperColumns.encode))
        return try await self.write { db in
            var writer = PaperWriter(db)
            return try writer.write(batch, rows: rows)
        }
    }

    /// Every store of this file, as one ``Storage``: the digest's sent mark is committed on the
    /// mail connection's thread right before the final dot.
    public var storage: Storage {
        Storage(
            backend: "sqlite", papers: self, votes: self, members: self, community: self, subscriptions: self,
            embeddings: self, lists: self, feedback: self,
            sentMarking: .synchronous { [self] id, owner, date in try self.markSentNow(id: id, owner: owner, at: date) }
        )
    }

    public func checkpoint(named name: String) async throws -> String? {
        try await self.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM checkpoint WHERE name = ?", arguments: [name])
        }
    }

    public func paper(id: PaperID) async throws -> Paper? {
        try await self.read { db in
            try Self.fetchPapers(db, sql: "SELECT \(PaperColumns.selectList) FROM paper WHERE id = ?", [id.rawValue])
                .first
        }
    }

    public func papers(ids: [PaperID]) async throws -> [Paper] {
        guard !ids.isEmpty else { return [] }
        let found = try await self.read { db in
            var found: [PaperID: Paper] = [:]
            try Self.inChunks(ids) { marks, values in
                let sql = "SELECT \(PaperColumns.selectList) FROM paper WHERE id IN (\(marks))"
                for paper in try Self.fetchPapers(db, sql: sql, StatementArguments(values)) { found[paper.id] = paper }
            }
            return found
        }
        return ids.compactMap { found[$0] }
    }

    public func papers(announcedOn day: CalendarDay, page: PageRequest) async throws -> Page<Paper> {
        try await self.read { db in
            let key = day.description
            let total =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM paper WHERE announced = ?", arguments: [key]) ?? 0
            let items = try Self.fetchPapers(
                db,
                sql:
                    "SELECT \(PaperColumns.selectList) FROM paper WHERE announced = ? ORDER BY position LIMIT ? OFFSET ?",
                [key, page.limit, page.offset]
            )
            return Page(items: items, total: total)
        }
    }

    public func paperKeys(announcedIn days: ClosedRange<CalendarDay>, category: String?) async throws -> [PaperKey] {
        try await self.read { db in
            var sql = "SELECT id, announced FROM paper WHERE announced BETWEEN ? AND ?"
            var arguments: [any DatabaseValueConvertible] = [days.lowerBound.description, days.upperBound.description]
            if let category {
                // Categories are a JSON array of strings; names never need JSON escaping.
                sql += " AND instr(categories, ?) > 0"
                arguments.append("\"" + category + "\"")
            }
            sql += " ORDER BY announced DESC, position"
            var keys: [PaperKey] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                keys.append(
                    PaperKey(id: PaperID(trusted: row[0]), announced: try Self.day(row[1], column: "announced")))
            }
            return keys
        }
    }

    public func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) async throws -> [String: Int] {
        try await self.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(categories, '$[0]') AS primary_category, count(*) FROM paper
                    WHERE announced BETWEEN ? AND ? AND primary_category IS NOT NULL GROUP BY primary_category
                    """,
                arguments: [days.lowerBound.description, days.upperBound.description])
            var counts: [String: Int] = [:]
            for row in rows { counts[row[0]] = row[1] }
            return counts
        }
    }

    public func announcementDays(limit: Int) async throws -> [AnnouncementDay] {
        try await self.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT announced, count(*) FROM paper GROUP BY announced ORDER BY announced DESC LIMIT ?",
                arguments: [max(0, limit)]
            )
            return try rows.map { row in
                AnnouncementDay(day: try Self.day(row[0], column: "announced"), paperCount: row[1])
            }
        }
    }

    public func latestAnnouncementDay() async throws -> CalendarDay? {
        try await self.read { db in
            try String.fetchOne(db, sql: "SELECT max(announced) FROM paper").map {
                try Self.day($0, column: "announced")
            }
        }
    }

    public func adjacentAnnouncementDays(to day: CalendarDay) async throws -> AdjacentDays {
        try await self.read { db in
            let key = day.description
            let previous = try String.fetchOne(
                db, sql: "SELECT max(announced) FROM paper WHERE announced < ?", arguments: [key])
            let next = try String.fetchOne(
                db, sql: "SELECT min(announced) FROM paper WHERE announced > ?", arguments: [key])
            return AdjacentDays(
                previous: try previous.map { try Self.day($0, column: "announced") },
                next: try next.map { try Self.day($0, column: "announced") }
            )
        }
    }

    public func count() async throws -> Int {
        try await self.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM paper") ?? 0 }
    }

    public func changes(since sequence: Int64, limit: Int) async throws -> [PaperChange] {
        let limit = max(0, limit)
        return try await self.read { db in
            let sql =
                "SELECT sequence, \(PaperColumns.selectList) FROM paper WHERE sequence > ? ORDER BY sequence LIMIT ?"
            var changes: [PaperChange] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [sequence, limit])
            while let row = try cursor.next() {
                let paper = try PaperColumns.decode(Self.encoded(row, from: 1))
                changes.append(PaperChange(sequence: row[0], id: paper.id, paper: paper))
            }
            let removals = try Row.fetchAll(
                db,
                sql: "SELECT sequence, id FROM paper_removal WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence, limit]
            )
            guard !removals.isEmpty else { return changes }
            changes += removals.map { PaperChange(sequence: $0[0], id: PaperID(trusted: $0[1]), paper: nil) }
            changes.sort { $0.sequence < $1.sequence }
            return Array(changes.prefix(limit))
        }
    }

    public func latestSequence() async throws -> Int64 {
        try await self.read { db in try PaperWriter.latestSequence(db) }
    }

    // MARK: Helpers

    /// Runs `body` once for each run of at most 500 of `ids`, with the run's `?,?,…` placeholders
    /// and its values, so that an `IN (…)` list stays well below SQLite's limit on bound parameters.
    static func inChunks(_ ids: [PaperID], _ body: (_ marks: String, _ values: [String]) throws -> Void) rethrows {
        try Self.inChunks(ids.map(\.rawValue), body)
    }

    /// The same for any values SQLite binds (member ids, say).
    static func inChunks<Value: DatabaseValueConvertible>(
        _ values: [Value], _ body: (_ marks: String, _ values: [Value]) throws -> Void
    ) rethrows {
        for start in stride(from: 0, to: values.count, by: 500) {
            let chunk = Array(values[start..<min(start + 500, values.count)])
            try body(repeatElement("?", count: chunk.count).joined(separator: ","), chunk)
        }
    }

    static func fetchPapers(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [Paper] {
        var papers: [Paper] = []
        // Cached: a page's queries are few and repeat, and compiling one is a good part of its cost.
        let cursor = try Row.fetchCursor(try db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try cursor.next() {
            papers.append(try PaperColumns.decode(Self.encoded(row, from: 0)))
        }
        return papers
    }

    /// The columns of ``PaperColumns/selectList`` starting at column `first` of `row`.
    static func encoded(_ row: Row, from first: Int) -> PaperColumns.Encoded {
        PaperColumns.Encoded(
            id: row[first], announced: row[first + 1], title: row[first + 2], abstract: row[first + 3],
            authors: row[first + 4], categories: row[first + 5], versions: row[first + 6], links: row[first + 7],
            details: row[first + 8]
        )
    }

    private static func day(_ text: String, column: String) throws(StoreError) -> CalendarDay {
        do {
            return try CalendarDay(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "paper: column \(column): \(error.message)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await self.mapErrors("reading") { try await self.pool.read(body) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await self.mapErrors("writing") { try await self.pool.write(body) }
    }

    /// Runs `operation`, turning database errors into ``StoreError``s that name the file.
    private func mapErrors<T>(_ verb: String, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "\(verb) \(self.path): \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
