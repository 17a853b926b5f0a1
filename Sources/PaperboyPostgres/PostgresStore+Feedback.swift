public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Members' feedback on papers (table `paper_feedback`), as in SQLite: one statement per change,
/// so two nodes setting a member's feedback at once leave one of the two, never both.
extension PostgresStore: FeedbackStore {
    public func setFeedback(
        _ feedback: PaperFeedback?, memberID: Int64, paperID: PaperID, at date: Date
    ) async throws {
        let paper = paperID.rawValue
        if let feedback {
            try await self.execute(
                """
                INSERT INTO paper_feedback (member_id, paper_id, kind, created)
                VALUES (\(memberID), \(paper), \(feedback.rawValue), \(date.timeIntervalSince1970))
                ON CONFLICT (member_id, paper_id) DO UPDATE SET kind = excluded.kind, created = excluded.created
                """)
        } else {
            try await self.execute(
                "DELETE FROM paper_feedback WHERE member_id = \(memberID) AND paper_id = \(paper)")
        }
    }

    public func feedback(of memberID: Int64) async throws -> [FeedbackMark] {
        let rows = try await self.rows(
            """
            SELECT paper_id, kind, created FROM paper_feedback WHERE member_id = \(memberID)
            ORDER BY created DESC, paper_id
            """)
        return try rows.map { row in
            let (paperID, kind, created) = try PostgresStore.decode(
                row, (String, String, Double).self, table: "paper_feedback")
            return FeedbackMark(
                paperID: PaperID(trusted: paperID), feedback: try Self.feedbackKind(kind),
                date: Date(timeIntervalSince1970: created))
        }
    }

    public func feedback(of memberID: Int64, among paperIDs: [PaperID]) async throws -> [PaperID: PaperFeedback] {
        guard !paperIDs.isEmpty else { return [:] }
        let rows = try await self.rows(
            """
            SELECT paper_id, kind FROM paper_feedback
            WHERE member_id = \(memberID) AND paper_id = ANY(\(paperIDs.map(\.rawValue)))
            """)
        var found: [PaperID: PaperFeedback] = [:]
        for row in rows {
            let (paperID, kind) = try PostgresStore.decode(row, (String, String).self, table: "paper_feedback")
            found[PaperID(trusted: paperID)] = try Self.feedbackKind(kind)
        }
        return found
    }

    private static func feedbackKind(_ text: String) throws(StoreError) -> PaperFeedback {
        guard let kind = PaperFeedback(rawValue: text) else {
            throw StoreError(.corruptRow, "paper_feedback.kind: \"\(text)\" is not a kind of feedback")
        }
        return kind
    }
}
