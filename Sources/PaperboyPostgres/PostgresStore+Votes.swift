public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Upvotes (table `upvote`), as in SQLite.
extension PostgresStore: VoteStore {
    public func toggleUpvote(
        memberID: Int64, paperID: PaperID, at date: Date
    ) async throws -> (upvoted: Bool, count: Int) {
        let paper = paperID.rawValue
        return try await self.transaction { (connection) async throws -> (upvoted: Bool, count: Int) in
            // SQLite's writers take turns; here the member's row is locked first, so that two toggles
            // by one member (two tabs, two nodes) do too: the second sees what the first did, instead
            // of both inserting and the second breaking the primary key. NO KEY UPDATE does not hold
            // up the member's other writes (their foreign-key checks take KEY SHARE). An unknown
            // member locks nothing; its insert then breaks the foreign key, an `io` error as in SQLite.
            try await connection.execute(
                "SELECT 1 FROM member WHERE id = \(memberID) FOR NO KEY UPDATE", logger: self.logger)
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
            let counted = try await connection.rows(
                "SELECT count(*) FROM upvote WHERE paper_id = \(paper)", logger: self.logger)
            let count = try counted.first.map { try PostgresStore.decode($0, Int.self, table: "upvote") } ?? 0
            return (upvoted, count)
        }
    }

    public func upvoteCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int] {
        guard !paperIDs.isEmpty else { return [:] }
        // One array parameter however many ids (SQLite binds them in chunks).
        return try await self.paperCounts(
            """
            SELECT paper_id, count(*) FROM upvote WHERE paper_id = ANY(\(paperIDs.map(\.rawValue)))
            GROUP BY paper_id
            """)
    }

    public func votedPapers() async throws -> [PaperID: Int] {
        try await self.paperCounts("SELECT paper_id, count(*) FROM upvote GROUP BY paper_id")
    }

    public func upvoteDates(paperID: PaperID) async throws -> [Date] {
        var dates: [Date] = []
        for row in try await self.rows(
            "SELECT created FROM upvote WHERE paper_id = \(paperID.rawValue) ORDER BY created")
        {
            dates.append(Date(timeIntervalSince1970: try PostgresStore.decode(row, Double.self, table: "upvote")))
        }
        return dates
    }

    public func upvoted(by memberID: Int64, among paperIDs: [PaperID]) async throws -> Set<PaperID> {
        guard !paperIDs.isEmpty else { return [] }
        var found = Set<PaperID>()
        for row in try await self.rows(
            """
            SELECT paper_id FROM upvote WHERE member_id = \(memberID) AND paper_id = ANY(\(paperIDs.map(\.rawValue)))
            """)
        {
            found.insert(PaperID(trusted: try PostgresStore.decode(row, String.self, table: "upvote")))
        }
        return found
    }

    /// Paper ids and their counts, from a query that selects `paper_id, count(*)`.
    private func paperCounts(_ query: PostgresQuery) async throws -> [PaperID: Int] {
        var counts: [PaperID: Int] = [:]
        for row in try await self.rows(query) {
            let (paperID, count) = try PostgresStore.decode(row, (String, Int).self, table: "upvote")
            counts[PaperID(trusted: paperID)] = count
        }
        return counts
    }
}
