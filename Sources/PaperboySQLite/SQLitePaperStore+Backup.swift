import Foundation
import GRDB
public import PaperboyStore

extension SQLitePaperStore {
    /// What a backup holds.
    public struct BackupReport: Sendable, Hashable {
        /// The file written.
        public var path: String
        /// Rows per table.
        public var rows: [String: Int]
        /// The file's size in bytes.
        public var bytes: Int
    }

    /// Copies the whole database to `path` while it stays in use: SQLite's online backup of one
    /// read snapshot (writers go on meanwhile; the copy is the database as of the moment the
    /// backup began). The copy is written beside `path` first, readable by its owner only,
    /// checked with `PRAGMA integrity_check`, and renamed into place: `path` never holds half
    /// a backup.
    ///
    /// - Throws: ``StoreError`` `unavailable` naming the file when it cannot be written or the
    ///   copy does not check out.
    public func backup(to path: String) throws(StoreError) -> BackupReport {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try Self.createPrivately(partial)
            let rows: [String: Int]
            do {
                let copy = try DatabaseQueue(path: partial)
                try self.pool.backup(to: copy)
                rows = try copy.read { db in
                    let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                    guard check == ["ok"] else {
                        throw StoreError(.unavailable, "the copy at \(partial) fails its integrity check: \(check)")
                    }
                    var rows: [String: Int] = [:]
                    for table in try String.fetchAll(
                        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    {
                        rows[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0
                    }
                    return rows
                }
                try copy.close()
            }
            let descriptor = open(partial, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
            guard rename(partial, path) == 0 else {
                throw StoreError(
                    .unavailable, "cannot move the backup into place at \(path): \(String(cString: strerror(errno)))")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            return BackupReport(path: path, rows: rows, bytes: size ?? 0)
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw StoreError(.unavailable, "cannot back up \(self.path) to \(path): \(Self.describe(error))")
        }
    }
}
