public import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Comments, collections and submissions live in the same file (tables `comment`,
/// `collection`, `collection_paper`, `submission`).
extension SQLitePaperStore: CommunityStore {
    // MARK: Comments

    private static let commentColumns = "id, paper_id, member_id, parent_id, body, created, edited, hidden, deleted"

    private static func comment(_ row: Row) -> Comment {
        Comment(
            id: row[0], paperID: PaperID(trusted: row[1]), memberID: row[2], parentID: row[3], body: row[4],
            created: Date(timeIntervalSince1970: row[5]),
            edited: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)),
            isHidden: row[7], isDeleted: (row[8] as Double?) != nil)
    }

    public func addComment(
        paperID: PaperID, memberID: Int64, parentID: Int64?, body: String, at date: Date
    ) async throws -> Comment {
        let id: Int64? = try await self.write { db in
            if let parentID {
                let exists =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM comment WHERE id = ?)", arguments: [parentID])
                    ?? false
                guard exists else { return nil }
            }
            try db.execute(
                sql: "INSERT INTO comment (paper_id, member_id, parent_id, body, created) VALUES (?, ?, ?, ?, ?)",
                arguments: [paperID.rawValue, memberID, parentID, body, date.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        guard let id else { throw StoreError(.notFound, "comment \(parentID ?? 0) does not exist") }
        return Comment(id: id, paperID: paperID, memberID: memberID, parentID: parentID, body: body, created: date)
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.commentColumns) FROM comment WHERE id = ?", arguments: [id])
                .map(Self.comment)
        }
    }

    public func comments(paperID: PaperID) async throws -> [Comment] {
        try await self.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.commentColumns) FROM comment WHERE paper_id = ? ORDER BY id",
                arguments: [paperID.rawValue]
            ).map(Self.comment)
        }
    }

    public func updateComment(id: Int64, body: String, at date: Date) async throws {
        try await self.change("comment \(id) does not exist") { db in
            try db.execute(
                sql: "UPDATE comment SET body = ?, edited = ? WHERE id = ?",
                arguments: [body, date.timeIntervalSince1970, id])
        }
    }

    public func deleteComment(id: Int64) async throws {
        let now = Date().timeIntervalSince1970
        try await self.write { db in
            guard let parent = try Row.fetchOne(db, sql: "SELECT parent_id FROM comment WHERE id = ?", arguments: [id])
            else { return }
            let hasReplies =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM comment WHERE parent_id = ?)", arguments: [id])
                ?? false
            if hasReplies {
                try db.execute(sql: "UPDATE comment SET body = '', deleted = ? WHERE id = ?", arguments: [now, id])
                return
            }
            try db.execute(sql: "DELETE FROM comment WHERE id = ?", arguments: [id])
            if let parentID = parent[0] as Int64? {
                // A deleted comment kept only for its replies goes with the last of them.
                try db.execute(
                    sql: """
                        DELETE FROM comment WHERE id = ? AND deleted IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM comment WHERE parent_id = ?)
                        """,
                    arguments: [parentID, parentID])
            }
        }
    }

    public func setCommentHidden(id: Int64, hidden: Bool) async throws {
        try await self.change("comment \(id) does not exist") { db in
            try db.execute(sql: "UPDATE comment SET hidden = ? WHERE id = ?", arguments: [hidden, id])
        }
    }

    public func commentCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int] {
        guard !paperIDs.isEmpty else { return [:] }
        return try await self.read { db in
            var counts: [PaperID: Int] = [:]
            try Self.inChunks(paperIDs) { marks, chunk in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT paper_id, count(*) FROM comment WHERE hidden = 0 AND deleted IS NULL AND paper_id IN (\(marks))
                        GROUP BY paper_id
                        """,
                    arguments: StatementArguments(chunk))
                for row in rows { counts[PaperID(trusted: row[0])] = row[1] }
            }
            return counts
        }
    }

    // MARK: Collections

    private static let collectionSelect = """
        SELECT c.id, c.owner_id, c.name, c.public, c.created,
               (SELECT count(*) FROM collection_paper p WHERE p.collection_id = c.id)
        FROM collection c
        """

    private static func collection(_ row: Row) -> PaperCollection {
        PaperCollection(
            id: row[0], ownerID: row[1], name: row[2], isPublic: row[3], created: Date(timeIntervalSince1970: row[4]),
            paperCount: row[5])
    }

    public func createCollection(
        ownerID: Int64, name: String, isPublic: Bool, at date: Date
    ) async throws -> PaperCollection {
        let id = try await self.write { db in
            try db.execute(
                sql: "INSERT INTO collection (owner_id, name, public, created) VALUES (?, ?, ?, ?)",
                arguments: [ownerID, name, isPublic, date.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        return PaperCollection(id: id, ownerID: ownerID, name: name, isPublic: isPublic, created: date)
    }

    public func collection(id: Int64) async throws -> PaperCollection? {
        try await self.read { db in
            try Row.fetchOne(db, sql: Self.collectionSelect + " WHERE c.id = ?", arguments: [id]).map(Self.collection)
        }
    }

    public func collections(ownerID: Int64) async throws -> [PaperCollection] {
        try await self.read { db in
            try Row.fetchAll(
                db, sql: Self.collectionSelect + " WHERE c.owner_id = ? ORDER BY c.id", arguments: [ownerID]
            )
            .map(Self.collection)
        }
    }

    public func updateCollection(id: Int64, name: String, isPublic: Bool) async throws {
        try await self.change("collection \(id) does not exist") { db in
            try db.execute(
                sql: "UPDATE collection SET name = ?, public = ? WHERE id = ?", arguments: [name, isPublic, id])
        }
    }

    public func deleteCollection(id: Int64) async throws {
        try await self.write { db in try db.execute(sql: "DELETE FROM collection WHERE id = ?", arguments: [id]) }
    }

    public func addPaper(_ paperID: PaperID, toCollection id: Int64, at date: Date) async throws {
        let exists = try await self.write { db in
            let exists =
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM collection WHERE id = ?)", arguments: [id])
                ?? false
            guard exists else { return false }
            // Adding a paper that is already there changes nothing.
            try db.execute(
                sql: """
                    INSERT INTO collection_paper (collection_id, paper_id, position, added)
                    VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM collection_paper WHERE collection_id = ?), ?)
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [id, paperID.rawValue, id, date.timeIntervalSince1970])
            return true
        }
        guard exists else { throw StoreError(.notFound, "collection \(id) does not exist") }
    }

    public func removePaper(_ paperID: PaperID, fromCollection id: Int64) async throws {
        try await self.write { db in
            try db.execute(
                sql: "DELETE FROM collection_paper WHERE collection_id = ? AND paper_id = ?",
                arguments: [id, paperID.rawValue])
        }
    }

    public func collectionPaperIDs(id: Int64) async throws -> [PaperID] {
        try await self.read { db in
            try String.fetchAll(
                db, sql: "SELECT paper_id FROM collection_paper WHERE collection_id = ? ORDER BY position",
                arguments: [id]
            ).map { PaperID(trusted: $0) }
        }
    }

    // MARK: Submissions

    public func submit(_ submission: Submission) async throws {
        let added = try await self.write { db in
            try db.execute(
                sql:
                    "INSERT INTO submission (paper_id, member_id, day, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [
                    submission.paperID.rawValue, submission.memberID, submission.day.description,
                    submission.created.timeIntervalSince1970,
                ])
            return db.changesCount > 0
        }
        guard added else { throw StoreError(.conflict, "paper \(submission.paperID) was already submitted") }
    }

    private static func submission(_ row: Row) throws -> Submission {
        let text: String = row[2]
        guard let day = try? CalendarDay(parsing: text) else {
            throw StoreError(.corruptRow, "submission: column day: \"\(text)\" is not a date")
        }
        return Submission(
            paperID: PaperID(trusted: row[0]), memberID: row[1], day: day, created: Date(timeIntervalSince1970: row[3]))
    }

    public func submissions(on days: ClosedRange<CalendarDay>) async throws -> [Submission] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT paper_id, member_id, day, created FROM submission WHERE day BETWEEN ? AND ?
                    ORDER BY created, paper_id
                    """,
                arguments: [days.lowerBound.description, days.upperBound.description]
            ).map(Self.submission)
        }
    }

    public func submissionDays() async throws -> [CalendarDay] {
        try await self.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT day FROM submission ORDER BY day DESC").map { text in
                guard let day = try? CalendarDay(parsing: text) else {
                    throw StoreError(.corruptRow, "submission: column day: \"\(text)\" is not a date")
                }
                return day
            }
        }
    }

    public func submissions(of paperIDs: [PaperID]) async throws -> [PaperID: Submission] {
        guard !paperIDs.isEmpty else { return [:] }
        return try await self.read { db in
            var found: [PaperID: Submission] = [:]
            try Self.inChunks(paperIDs) { marks, chunk in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT paper_id, member_id, day, created FROM submission WHERE paper_id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                for row in rows {
                    let submission = try Self.submission(row)
                    found[submission.paperID] = submission
                }
            }
            return found
        }
    }

    /// Runs an update and throws `notFound` with `message` when it changed no row.
    func change(_ message: String, _ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let changed = try await self.write { db in
            try body(db)
            return db.changesCount
        }
        guard changed > 0 else { throw StoreError(.notFound, message) }
    }
}
