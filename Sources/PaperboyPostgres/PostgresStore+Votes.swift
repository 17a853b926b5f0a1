public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Upvotes (table `upvote`).
extension PostgresStore: VoteStore {
    public func toggleUpvote(
        memberID: Int64, paperID: PaperID, at date: Date
    ) async throws -> (upvoted: Bool, count: Int) {
        let paper = paperID.rawValue
        return try await self.transaction { connection in
            // The member's row is locked first, so that two toggles by one member (two tabs, two
            // nodes) take turns: each sees the other's result.
            let member = try await connection.rows(
                "SELECT 1 FROM member WHERE id = \(memberID) FOR UPDATE", logger: self.logger)
            guard !member.isEmpty else { throw StoreError(.notFound, "no member \(memberID)") }
            let removed = try await connection.rows(
                "DELETE FROM upvote WHERE paper_id = \(paper) AND member_id = \(memberID) RETURNING 1",
                logger: self.logger)
            let upvoted = removed.isEmpty
            if upvoted {
                try await connection.execute(
                    """
                    INSERT INTO upvote (paper_id, member_id, created)
                    VALUES (\(paper), \(memberID), \(date.timeIntervalSince1970))
                    """, logger: self.logger)
            }
            let count =
                try await connection.rows(
                    "SELECT count(*) FROM upvote WHERE paper_id = \(paper)", logger: self.logger
                ).first.map { try PostgresStore.decode($0, Int.self, table: "upvote") } ?? 0
            return (upvoted, count)
        }
    }

    public func upvoteCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int] {
        guard !paperIDs.isEmpty else { return [:] }
        return try await self.counts(
            "SELECT paper_id, count(*) FROM upvote WHERE paper_id = ANY(\(paperIDs.map(\.rawValue))) GROUP BY paper_id")
    }

    public func votedPapers() async throws -> [PaperID: Int] {
        try await self.counts("SELECT paper_id, count(*) FROM upvote GROUP BY paper_id")
    }

    public func upvoteDates(paperID: PaperID) async throws -> [Date] {
        try await self.rows("SELECT created FROM upvote WHERE paper_id = \(paperID.rawValue) ORDER BY created").map {
            Date(timeIntervalSince1970: try PostgresStore.decode($0, Double.self, table: "upvote"))
        }
    }

    public func upvoted(by memberID: Int64, among paperIDs: [PaperID]) async throws -> Set<PaperID> {
        guard !paperIDs.isEmpty else { return [] }
        let rows = try await self.rows(
            """
            SELECT paper_id FROM upvote WHERE member_id = \(memberID) AND paper_id = ANY(\(paperIDs.map(\.rawValue)))
            """)
        return Set(try rows.map { PaperID(trusted: try PostgresStore.decode($0, String.self, table: "upvote")) })
    }

    /// Paper ids and counts, as a query of `(paper_id, count)` selects them.
    private func counts(_ query: PostgresQuery) async throws -> [PaperID: Int] {
        var counts: [PaperID: Int] = [:]
        for row in try await self.rows(query) {
            let (id, count) = try PostgresStore.decode(row, (String, Int).self, table: "upvote")
            counts[PaperID(trusted: id)] = count
        }
        return counts
    }
}
