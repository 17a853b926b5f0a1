public import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Upvotes live in the same file (table `upvote`).
extension SQLitePaperStore: VoteStore {
    public func toggleUpvote(
        memberID: Int64, paperID: PaperID, at date: Date
    ) async throws -> (
        upvoted: Bool, count: Int
    ) {
        try await self.write { db in
            try db.execute(
                sql: "DELETE FROM upvote WHERE paper_id = ? AND member_id = ?", arguments: [paperID.rawValue, memberID])
            let upvoted = db.changesCount == 0
            if upvoted {
                try db.execute(
                    sql: "INSERT INTO upvote (paper_id, member_id, created) VALUES (?, ?, ?)",
                    arguments: [paperID.rawValue, memberID, date.timeIntervalSince1970])
            }
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM upvote WHERE paper_id = ?", arguments: [paperID.rawValue])
                ?? 0
            return (upvoted, count)
        }
    }

    public func upvoteCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int] {
        guard !paperIDs.isEmpty else { return [:] }
        return try await self.read { db in
            var counts: [PaperID: Int] = [:]
            try Self.inChunks(paperIDs) { marks, chunk in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT paper_id, count(*) FROM upvote WHERE paper_id IN (\(marks)) GROUP BY paper_id",
                    arguments: StatementArguments(chunk))
                for row in rows { counts[PaperID(trusted: row[0])] = row[1] }
            }
            return counts
        }
    }

    public func votedPapers() async throws -> [PaperID: Int] {
        try await self.read { db in
            var counts: [PaperID: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT paper_id, count(*) FROM upvote GROUP BY paper_id")
            while let row = try rows.next() { counts[PaperID(trusted: row[0])] = row[1] }
            return counts
        }
    }

    public func upvoteDates(paperID: PaperID) async throws -> [Date] {
        try await self.read { db in
            try Double.fetchAll(
                db, sql: "SELECT created FROM upvote WHERE paper_id = ? ORDER BY created", arguments: [paperID.rawValue]
            ).map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func upvoted(by memberID: Int64, among paperIDs: [PaperID]) async throws -> Set<PaperID> {
        guard !paperIDs.isEmpty else { return [] }
        return try await self.read { db in
            var found = Set<PaperID>()
            try Self.inChunks(paperIDs) { marks, chunk in
                let rows = try String.fetchAll(
                    db, sql: "SELECT paper_id FROM upvote WHERE member_id = ? AND paper_id IN (\(marks))",
                    arguments: StatementArguments([memberID] as [any DatabaseValueConvertible] + chunk))
                found.formUnion(rows.map { PaperID(trusted: $0) })
            }
            return found
        }
    }
}
