public import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Members' feedback on papers lives in the same file (table `paper_feedback`).
extension SQLitePaperStore: FeedbackStore {
    public func setFeedback(
        _ feedback: PaperFeedback?, memberID: Int64, paperID: PaperID, at date: Date
    ) async throws {
        try await self.write { db in
            if let feedback {
                try db.execute(
                    sql: """
                        INSERT INTO paper_feedback (member_id, paper_id, kind, created) VALUES (?, ?, ?, ?)
                        ON CONFLICT (member_id, paper_id) DO UPDATE SET kind = excluded.kind, created = excluded.created
                        """,
                    arguments: [memberID, paperID.rawValue, feedback.rawValue, date.timeIntervalSince1970])
            } else {
                try db.execute(
                    sql: "DELETE FROM paper_feedback WHERE member_id = ? AND paper_id = ?",
                    arguments: [memberID, paperID.rawValue])
            }
        }
    }

    public func feedback(of memberID: Int64) async throws -> [FeedbackMark] {
        try await self.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT paper_id, kind, created FROM paper_feedback WHERE member_id = ?
                    ORDER BY created DESC, paper_id
                    """,
                arguments: [memberID])
            return try rows.map { row in
                FeedbackMark(
                    paperID: PaperID(trusted: row[0]), feedback: try Self.feedbackKind(row[1]),
                    date: Date(timeIntervalSince1970: row[2]))
            }
        }
    }

    public func feedback(of memberID: Int64, among paperIDs: [PaperID]) async throws -> [PaperID: PaperFeedback] {
        guard !paperIDs.isEmpty else { return [:] }
        return try await self.read { db in
            var found: [PaperID: PaperFeedback] = [:]
            try Self.inChunks(paperIDs) { marks, chunk in
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT paper_id, kind FROM paper_feedback WHERE member_id = ? AND paper_id IN (\(marks))",
                    arguments: StatementArguments([memberID] as [any DatabaseValueConvertible] + chunk))
                for row in rows { found[PaperID(trusted: row[0])] = try Self.feedbackKind(row[1]) }
            }
            return found
        }
    }

    private static func feedbackKind(_ text: String) throws(StoreError) -> PaperFeedback {
        guard let kind = PaperFeedback(rawValue: text) else {
            throw StoreError(.corruptRow, "paper_feedback.kind: \"\(text)\" is not a kind of feedback")
        }
        return kind
    }
}
