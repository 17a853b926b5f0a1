import GRDB
import PaperboyModel
import PaperboyStore

/// The write side of ``SQLitePaperStore``: runs inside one write transaction.
struct PaperWriter {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    static func latestSequence(_ db: Database) throws -> Int64 {
        let papers = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM paper") ?? 0
        let removals = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM paper_removal") ?? 0
        return max(papers, removals)
    }

    func upsert(_ papers: [Paper]) throws -> UpsertSummary {
        var summary = UpsertSummary()
        guard !papers.isEmpty else { return summary }
        var sequence = try Self.latestSequence(self.db)
        let hasRemovals = try Bool.fetchOne(self.db, sql: "SELECT EXISTS (SELECT 1 FROM paper_removal)") ?? false
        let select = try self.db.cachedStatement(sql: "SELECT \(PaperColumns.selectList) FROM paper WHERE id = ?")
        let insert = try self.db.cachedStatement(
            sql: """
                INSERT INTO paper (sequence, id, announced, title, abstract, authors, categories, versions, links)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let update = try self.db.cachedStatement(
            sql: """
                UPDATE paper SET sequence = ?, announced = ?, title = ?, abstract = ?, authors = ?, categories = ?,
                    versions = ?, links = ?
                WHERE id = ?
                """
        )
        let unremove = try self.db.cachedStatement(sql: "DELETE FROM paper_removal WHERE id = ?")

        for incoming in papers {
            let key = incoming.id.rawValue
            if let row = try Row.fetchOne(select, arguments: [key]) {
                let existing = try PaperColumns.decode(SQLitePaperStore.encoded(row, from: 0))
                let merged = existing.merged(with: incoming)
                if merged == existing {
                    summary.unchanged += 1
                    continue
                }
                sequence += 1
                let c = PaperColumns.encode(merged)
                try update.execute(arguments: [
                    sequence, c.announced, c.title, c.abstract, c.authors, c.categories, c.versions, c.links, key,
                ])
                summary.updated += 1
            } else {
                sequence += 1
                let c = PaperColumns.encode(incoming)
                try insert.execute(arguments: [
                    sequence, c.id, c.announced, c.title, c.abstract, c.authors, c.categories, c.versions, c.links,
                ])
                if hasRemovals { try unremove.execute(arguments: [key]) }
                summary.added += 1
            }
        }
        return summary
    }

    func remove(_ ids: [PaperID]) throws -> Int {
        var sequence = try Self.latestSequence(self.db)
        let delete = try self.db.cachedStatement(sql: "DELETE FROM paper WHERE id = ?")
        let record = try self.db.cachedStatement(
            sql:
                "INSERT INTO paper_removal (id, sequence) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence"
        )
        var count = 0
        for id in ids {
            try delete.execute(arguments: [id.rawValue])
            guard self.db.changesCount > 0 else { continue }
            sequence += 1
            try record.execute(arguments: [id.rawValue, sequence])
            count += 1
        }
        return count
    }
}
