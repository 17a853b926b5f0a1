import Foundation
import GRDB
import PaperboyModel
import PaperboyStore

/// Rows encoded ahead of a write transaction, one per paper of the batch, in order.
struct PreparedRows: Sendable {
    var rows: [PaperColumns.Encoded]
}

/// The write side of ``SQLitePaperStore``: runs inside one write transaction.
struct PaperWriter {
    let db: Database
    private var sequence: Int64 = 0

    init(_ db: Database) {
        self.db = db
    }

    static func latestSequence(_ db: Database) throws -> Int64 {
        let papers = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM paper") ?? 0
        let removals = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM paper_removal") ?? 0
        return max(papers, removals)
    }

    mutating func write(_ batch: StoreBatch, rows: PreparedRows? = nil) throws -> UpsertSummary {
        var summary = UpsertSummary()
        self.sequence = try Self.latestSequence(self.db)
        if !batch.papers.isEmpty {
            try self.upsert(batch.papers, prepared: rows, into: &summary)
        }
        if !batch.removals.isEmpty { summary.removed = try self.remove(batch.removals) }
        if let checkpoint = batch.checkpoint {
            try self.db.execute(
                sql: """
                    INSERT INTO checkpoint (name, value, updated) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated
                    """,
                arguments: [checkpoint.name, checkpoint.value, ISO8601DateFormatter().string(from: Date())]
            )
        }
        return summary
    }

    /// Which of `ids` are stored, asked in chunks (cheaper than one lookup each for new papers).
    private func storedIDs(_ ids: [String]) throws -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let marks = repeatElement("?", count: chunk.count).joined(separator: ",")
            let rows = try String.fetchAll(
                self.db, sql: "SELECT id FROM paper WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
            found.formUnion(rows)
        }
        return found
    }

    private mutating func upsert(_ papers: [Paper], prepared: PreparedRows?, into summary: inout UpsertSummary) throws {
        var stored = try self.storedIDs(papers.map(\.id.rawValue))
        let hasRemovals = try Bool.fetchOne(self.db, sql: "SELECT EXISTS (SELECT 1 FROM paper_removal)") ?? false
        // Title-only papers are rare (listing pages); skip looking for them when there are none.
        var hasTitlePapers =
            try Bool.fetchOne(self.db, sql: "SELECT EXISTS (SELECT 1 FROM paper WHERE id >= 't-' AND id < 't.')")
            ?? false
        let select = try self.db.cachedStatement(
            sql: "SELECT position, \(PaperColumns.selectList) FROM paper WHERE id = ?")
        let selectOwner = try self.db.cachedStatement(
            sql: "SELECT position, \(PaperColumns.selectList) FROM paper WHERE title_id = ? ORDER BY position LIMIT 1")
        let insert = try self.db.cachedStatement(
            sql: """
                INSERT INTO paper (position, sequence, id, announced, title, abstract, authors, categories, versions,
                    links, details, title_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        let update = try self.db.cachedStatement(
            sql: """
                UPDATE paper SET sequence = ?, announced = ?, title = ?, abstract = ?, authors = ?, categories = ?,
                    versions = ?, links = ?, details = ?, title_id = ?
                WHERE id = ?
                """
        )
        let unremove = try self.db.cachedStatement(sql: "DELETE FROM paper_removal WHERE id = ?")

        func fetch(_ statement: Statement, _ key: String) throws -> (position: Int64, paper: Paper)? {
            guard let row = try Row.fetchOne(statement, arguments: [key]) else { return nil }
            return (row[0], try PaperColumns.decode(SQLitePaperStore.encoded(row, from: 1)))
        }

        var titleIDsReady = false
        for (position, incoming) in papers.enumerated() {
            if incoming.id.isTitleDerived {
                hasTitlePapers = true
                if !titleIDsReady {
                    try self.backfillTitleIDs()
                    titleIDsReady = true
                }
                if let owner = try fetch(selectOwner, incoming.id.rawValue) {
                    let absorbed = owner.paper.absorbing(incoming)
                    if absorbed == owner.paper {
                        summary.unchanged += 1
                    } else {
                        try self.update(absorbed, with: update)
                        summary.updated += 1
                    }
                    continue
                }
            }
            let existing = stored.contains(incoming.id.rawValue) ? try fetch(select, incoming.id.rawValue) : nil
            var merged = existing.map { $0.paper.merged(with: incoming) } ?? incoming
            var takenPosition: Int64? = nil
            if hasTitlePapers, !incoming.id.isTitleDerived,
                let titlePaper = try fetch(select, merged.titleID.rawValue)
            {
                // The paper was listed by title before its real record arrived: take it over.
                merged = merged.absorbing(titlePaper.paper)
                _ = try self.remove([titlePaper.paper.id])
                stored.remove(titlePaper.paper.id.rawValue)
                if existing == nil { takenPosition = titlePaper.position }
            }
            if let existing {
                if merged == existing.paper {
                    summary.unchanged += 1
                } else {
                    try self.update(merged, with: update)
                    summary.updated += 1
                }
            } else {
                self.sequence += 1
                // Rows encoded ahead of the transaction hold for papers that went in unchanged.
                let c =
                    takenPosition == nil && prepared?.rows.indices.contains(position) == true
                    ? prepared!.rows[position] : PaperColumns.encode(merged)
                try insert.execute(arguments: [
                    takenPosition, self.sequence, c.id, c.announced, c.title, c.abstract, c.authors, c.categories,
                    c.versions, c.links, c.details, PaperColumns.titleIDOnWrite(merged),
                ])
                if hasRemovals || takenPosition != nil { try unremove.execute(arguments: [c.id]) }
                stored.insert(c.id)
                summary.added += 1
            }
        }
    }

    /// Computes the `title_id` of every paper written since the last backfill, so that title-only
    /// records find their paper. Bulk ingests of papers with real ids skip this work; the first
    /// title-only record after them pays it once.
    private func backfillTitleIDs() throws {
        let pending = try Row.fetchAll(
            self.db, sql: "SELECT position, title FROM paper WHERE title_id IS NULL ORDER BY position")
        guard !pending.isEmpty else { return }
        let update = try self.db.cachedStatement(sql: "UPDATE paper SET title_id = ? WHERE position = ?")
        for row in pending {
            let title: String = row[1]
            try update.execute(arguments: [PaperID(title: title).rawValue, row[0] as Int64])
        }
    }

    private mutating func update(_ paper: Paper, with statement: Statement) throws {
        self.sequence += 1
        let c = PaperColumns.encode(paper)
        try statement.execute(arguments: [
            self.sequence, c.announced, c.title, c.abstract, c.authors, c.categories, c.versions, c.links, c.details,
            PaperColumns.titleIDOnWrite(paper), c.id,
        ])
    }

    private mutating func remove(_ ids: [PaperID]) throws -> Int {
        let delete = try self.db.cachedStatement(sql: "DELETE FROM paper WHERE id = ?")
        let record = try self.db.cachedStatement(
            sql:
                "INSERT INTO paper_removal (id, sequence) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence"
        )
        var count = 0
        for id in ids {
            try delete.execute(arguments: [id.rawValue])
            guard self.db.changesCount > 0 else { continue }
            self.sequence += 1
            try record.execute(arguments: [id.rawValue, self.sequence])
            count += 1
        }
        return count
    }
}
