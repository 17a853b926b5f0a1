public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Comments, collections and submissions (tables `comment`, `collection`, `collection_paper`,
/// `submission`), as in SQLite. Where SQLite relies on writers taking turns, writes here lock the
/// rows they depend on: a reply cannot land under a comment being deleted, and papers added to
/// one collection at once get distinct positions.
extension PostgresStore: CommunityStore {
    // MARK: Comments

    private static let commentColumns = "id, paper_id, member_id, parent_id, body, created, edited, hidden, deleted"

    /// A comment from the columns of ``commentColumns``.
    private static func commentRow(_ row: PostgresRow) throws -> Comment {
        let (id, paperID, memberID, parentID, body, created, edited, hidden, deleted) = try PostgresStore.decode(
            row, (Int64, String, Int64, Int64?, String, Double, Double?, Bool, Double?).self, table: "comment")
        return Comment(
            id: id, paperID: PaperID(trusted: paperID), memberID: memberID, parentID: parentID, body: body,
            created: Date(timeIntervalSince1970: created), edited: edited.map(Date.init(timeIntervalSince1970:)),
            isHidden: hidden, isDeleted: deleted != nil)
    }

    public func addComment(
        paperID: PaperID, memberID: Int64, parentID: Int64?, body: String, at date: Date
    ) async throws -> Comment {
        let id: Int64? = try await self.transaction { connection in
            if let parentID {
                // The lock keeps the parent from being deleted before this reply commits.
                let parent = try await connection.rows(
                    "SELECT 1 FROM comment WHERE id = \(parentID) FOR KEY SHARE", logger: self.logger)
                guard !parent.isEmpty else { return nil }
            }
            let rows = try await connection.rows(
                """
                INSERT INTO comment (paper_id, member_id, parent_id, body, created)
                VALUES (\(paperID.rawValue), \(memberID), \(parentID), \(body), \(date.timeIntervalSince1970))
                RETURNING id
                """, logger: self.logger)
            guard let row = rows.first else { throw StoreError(.io, "comment: the insert returned no id") }
            return try PostgresStore.decode(row, Int64.self, table: "comment")
        }
        guard let id else { throw StoreError(.notFound, "comment \(parentID ?? 0) does not exist") }
        return Comment(id: id, paperID: paperID, memberID: memberID, parentID: parentID, body: body, created: date)
    }

    public func comment(id: Int64) async throws -> Comment? {
        try await self.rows("SELECT \(unescaped: Self.commentColumns) FROM comment WHERE id = \(id)").first.map {
            try Self.commentRow($0)
        }
    }

    public func comments(paperID: PaperID) async throws -> [Comment] {
        try await self.rows(
            "SELECT \(unescaped: Self.commentColumns) FROM comment WHERE paper_id = \(paperID.rawValue) ORDER BY id"
        ).map { try Self.commentRow($0) }
    }

    public func updateComment(id: Int64, body: String, at date: Date) async throws {
        try await self.requireChange(
            "comment \(id) does not exist",
            "UPDATE comment SET body = \(body), edited = \(date.timeIntervalSince1970) WHERE id = \(id) RETURNING id")
    }

    public func deleteComment(id: Int64) async throws {
        let now = Date().timeIntervalSince1970
        try await self.transaction { (connection) async throws -> Void in
            // Locked: a reply being added waits (then finds the comment gone, or sees it has replies).
            guard
                let comment = try await connection.rows(
                    "SELECT parent_id FROM comment WHERE id = \(id) FOR UPDATE", logger: self.logger
                ).first
            else { return }
            let parentID = try PostgresStore.decode(comment, Int64?.self, table: "comment")
            if let parentID {
                // Locked too, so that two last replies deleted at once cannot each see the other.
                _ = try await connection.rows(
                    "SELECT 1 FROM comment WHERE id = \(parentID) FOR UPDATE", logger: self.logger)
            }
            let replies = try await connection.rows(
                "SELECT EXISTS (SELECT 1 FROM comment WHERE parent_id = \(id))", logger: self.logger)
            let hasReplies = try replies.first.map { try PostgresStore.decode($0, Bool.self, table: "comment") }
            if hasReplies == true {
                try await connection.execute(
                    "UPDATE comment SET body = '', deleted = \(now) WHERE id = \(id)", logger: self.logger)
                return
            }
            try await connection.execute("DELETE FROM comment WHERE id = \(id)", logger: self.logger)
            if let parentID {
                // A deleted comment kept only for its replies goes with the last of them.
                try await connection.execute(
                    """
                    DELETE FROM comment WHERE id = \(parentID) AND deleted IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM comment WHERE parent_id = \(parentID))
                    """, logger: self.logger)
            }
        }
    }

    public func setCommentHidden(id: Int64, hidden: Bool) async throws {
        try await self.requireChange(
            "comment \(id) does not exist", "UPDATE comment SET hidden = \(hidden) WHERE id = \(id) RETURNING id")
    }

    public func commentCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int] {
        guard !paperIDs.isEmpty else { return [:] }
        let rows = try await self.rows(
            """
            SELECT paper_id, count(*) FROM comment
            WHERE NOT hidden AND deleted IS NULL AND paper_id = ANY(\(paperIDs.map(\.rawValue)))
            GROUP BY paper_id
            """)
        var counts: [PaperID: Int] = [:]
        for row in rows {
            let (paperID, count) = try PostgresStore.decode(row, (String, Int).self, table: "comment")
            counts[PaperID(trusted: paperID)] = count
        }
        return counts
    }

    // MARK: Collections

    private static let collectionSelect = """
        SELECT c.id, c.owner_id, c.name, c.public, c.created,
               (SELECT count(*) FROM collection_paper p WHERE p.collection_id = c.id)
        FROM collection c
        """

    /// A collection from the columns of ``collectionSelect``.
    private static func collectionRow(_ row: PostgresRow) throws -> PaperCollection {
        let (id, ownerID, name, isPublic, created, paperCount) = try PostgresStore.decode(
            row, (Int64, Int64, String, Bool, Double, Int).self, table: "collection")
        return PaperCollection(
            id: id, ownerID: ownerID, name: name, isPublic: isPublic, created: Date(timeIntervalSince1970: created),
            paperCount: paperCount)
    }

    public func createCollection(
        ownerID: Int64, name: String, isPublic: Bool, at date: Date
    ) async throws -> PaperCollection {
        let rows = try await self.rows(
            """
            INSERT INTO collection (owner_id, name, public, created)
            VALUES (\(ownerID), \(name), \(isPublic), \(date.timeIntervalSince1970))
            RETURNING id
            """)
        guard let row = rows.first else { throw StoreError(.io, "collection: the insert returned no id") }
        let id = try PostgresStore.decode(row, Int64.self, table: "collection")
        return PaperCollection(id: id, ownerID: ownerID, name: name, isPublic: isPublic, created: date)
    }

    public func collection(id: Int64) async throws -> PaperCollection? {
        try await self.rows("\(unescaped: Self.collectionSelect) WHERE c.id = \(id)").first.map {
            try Self.collectionRow($0)
        }
    }

    public func collections(ownerID: Int64) async throws -> [PaperCollection] {
        try await self.rows("\(unescaped: Self.collectionSelect) WHERE c.owner_id = \(ownerID) ORDER BY c.id").map {
            try Self.collectionRow($0)
        }
    }

    public func updateCollection(id: Int64, name: String, isPublic: Bool) async throws {
        try await self.requireChange(
            "collection \(id) does not exist",
            "UPDATE collection SET name = \(name), public = \(isPublic) WHERE id = \(id) RETURNING id")
    }

    public func deleteCollection(id: Int64) async throws {
        try await self.execute("DELETE FROM collection WHERE id = \(id)")
    }

    public func addPaper(_ paperID: PaperID, toCollection id: Int64, at date: Date) async throws {
        let exists: Bool = try await self.transaction { connection in
            // The lock makes adds to one collection take turns, so each sees the last position.
            let collection = try await connection.rows(
                "SELECT 1 FROM collection WHERE id = \(id) FOR NO KEY UPDATE", logger: self.logger)
            guard !collection.isEmpty else { return false }
            // Adding a paper that is already there changes nothing.
            try await connection.execute(
                """
                INSERT INTO collection_paper (collection_id, paper_id, position, added)
                VALUES (
                    \(id), \(paperID.rawValue),
                    (SELECT coalesce(max(position), 0) + 1 FROM collection_paper WHERE collection_id = \(id)),
                    \(date.timeIntervalSince1970))
                ON CONFLICT DO NOTHING
                """, logger: self.logger)
            return true
        }
        guard exists else { throw StoreError(.notFound, "collection \(id) does not exist") }
    }

    public func removePaper(_ paperID: PaperID, fromCollection id: Int64) async throws {
        try await self.execute(
            "DELETE FROM collection_paper WHERE collection_id = \(id) AND paper_id = \(paperID.rawValue)")
    }

    public func collectionPaperIDs(id: Int64) async throws -> [PaperID] {
        try await self.rows("SELECT paper_id FROM collection_paper WHERE collection_id = \(id) ORDER BY position")
            .map { PaperID(trusted: try PostgresStore.decode($0, String.self, table: "collection_paper")) }
    }

    // MARK: Submissions

    public func submit(_ submission: Submission) async throws {
        let added = try await self.rows(
            """
            INSERT INTO submission (paper_id, member_id, day, created)
            VALUES (
                \(submission.paperID.rawValue), \(submission.memberID), \(submission.day.description),
                \(submission.created.timeIntervalSince1970))
            ON CONFLICT DO NOTHING
            RETURNING paper_id
            """)
        guard !added.isEmpty else { throw StoreError(.conflict, "paper \(submission.paperID) was already submitted") }
    }

    /// A submission from the columns `paper_id, member_id, day, created`.
    private static func submissionRow(_ row: PostgresRow) throws -> Submission {
        let (paperID, memberID, text, created) = try PostgresStore.decode(
            row, (String, Int64, String, Double).self, table: "submission")
        return Submission(
            paperID: PaperID(trusted: paperID), memberID: memberID, day: try Self.submissionDay(text),
            created: Date(timeIntervalSince1970: created))
    }

    /// The day of a `submission.day` column.
    private static func submissionDay(_ text: String) throws(StoreError) -> CalendarDay {
        guard let day = try? CalendarDay(parsing: text) else {
            throw StoreError(.corruptRow, "submission: column day: \"\(text)\" is not a date")
        }
        return day
    }

    public func submissions(on days: ClosedRange<CalendarDay>) async throws -> [Submission] {
        try await self.rows(
            """
            SELECT paper_id, member_id, day, created FROM submission
            WHERE day BETWEEN \(days.lowerBound.description) AND \(days.upperBound.description)
            ORDER BY created, paper_id
            """
        ).map { try Self.submissionRow($0) }
    }

    public func submissionDays() async throws -> [CalendarDay] {
        try await self.rows("SELECT DISTINCT day FROM submission ORDER BY day DESC").map {
            try Self.submissionDay(try PostgresStore.decode($0, String.self, table: "submission"))
        }
    }

    public func submissions(of paperIDs: [PaperID]) async throws -> [PaperID: Submission] {
        guard !paperIDs.isEmpty else { return [:] }
        let rows = try await self.rows(
            """
            SELECT paper_id, member_id, day, created FROM submission
            WHERE paper_id = ANY(\(paperIDs.map(\.rawValue)))
            """)
        var found: [PaperID: Submission] = [:]
        for row in rows {
            let submission = try Self.submissionRow(row)
            found[submission.paperID] = submission
        }
        return found
    }

    // MARK: Helpers

    /// Runs an `UPDATE … RETURNING` and throws `notFound` with `message` when it returned no row.
    func requireChange(_ message: String, _ query: PostgresQuery) async throws {
        let changed = try await self.rows(query)
        guard !changed.isEmpty else { throw StoreError(.notFound, message) }
    }
}
