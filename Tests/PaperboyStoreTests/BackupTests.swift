import Foundation
import GRDB
import PaperboyModel
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("Online backups")
struct BackupTests {
    static func papers(_ range: Range<Int>) -> [Paper] {
        range.map { n in
            Paper(
                id: PaperID(title: "Backup paper \(n)"), title: "Backup paper \(n)",
                abstract: String(repeating: "words of the abstract \(n) ", count: 20),
                authors: [Author(name: "A \(n)")],
                categories: ["cs.LG"], announced: CalendarDay(year: 2025, month: 3, day: 10)!)
        }
    }

    @Test("a backup taken while another task writes opens with every row written before it, whole")
    func underWriteLoad() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/live.sqlite")
        _ = try await store.upsert(Self.papers(0..<2_000))
        let writer = Task {
            var next = 2_000
            while !Task.isCancelled {
                do {
                    _ = try await store.upsert(Self.papers(next..<next + 50))
                } catch  where Task.isCancelled {
                    // Cancelled mid-write (the store names the cancellation in its own error).
                    break
                }
                next += 50
            }
            return next + 50
        }
        try await Task.sleep(for: .milliseconds(100))
        let before = try await store.count()
        let backup = directory.path + "/copy.sqlite"
        let report = try store.backup(to: backup)
        try await Task.sleep(for: .milliseconds(100))
        writer.cancel()
        let written = try await writer.value
        let after = try await store.count()
        #expect(after > before, "the writer went on during the backup")
        #expect(!FileManager.default.fileExists(atPath: backup + ".partial"))
        let attributes = try FileManager.default.attributesOfItem(atPath: backup)
        #expect(((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o777 == 0o600)
        // The copy: whole, a consistent moment between the two counts, every row readable.
        let copy = try SQLitePaperStore(path: backup)
        let copied = try await copy.count()
        #expect(copied >= before && copied <= after && copied == report.rows["paper"])
        #expect(copied <= written)
        let queue = try DatabaseQueue(path: backup)
        let check = try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        let ids = try await copy.papers(ids: Self.papers(0..<copied).map(\.id))
        #expect(ids.count == copied, "every paper of the copy reads back whole")
    }

    @Test("a backup to a folder that cannot be written says where, and leaves nothing behind")
    func unwritable() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/live.sqlite")
        do {
            _ = try store.backup(to: directory.path + "/no/such/folder/copy.sqlite")
            Issue.record("a backup into a missing folder succeeded")
        } catch {
            #expect(error.message.contains("/no/such/folder/copy.sqlite"))
        }
    }
}
