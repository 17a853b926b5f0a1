import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Papers and their change feed. Every write of papers runs under one transaction-level advisory
/// lock (``PostgresPaperWriter/lockKey``): sequence numbers are handed out while it is held and
/// it is released only by the commit, so they are in commit order and a reader of
/// ``changes(since:limit:)`` never passes a change that commits later with a lower number.
extension PostgresStore: PaperStore {
    public func write(_ batch: StoreBatch) async throws -> UpsertSummary {
        // Rows are encoded on the caller's task, before the lock is taken.
        let rows = batch.papers.map(PaperColumns.encode)
        return try await self.transaction { connection in
            var writer = PostgresPaperWriter(connection: connection, logger: self.logger)
            return try await writer.write(batch, rows: rows)
        }
    }

    public func checkpoint(named name: String) async throws -> String? {
        try await self.rows("SELECT value FROM checkpoint WHERE name = \(name)").first.map {
            try PostgresStore.decode($0, String.self, table: "checkpoint")
        }
    }

    public func paper(id: PaperID) async throws -> Paper? {
        try await self.papers(
            "SELECT \(unescaped: PaperColumns.selectList) FROM paper WHERE id = \(id.rawValue)"
        ).first
    }

    public func papers(ids: [PaperID]) async throws -> [Paper] {
        guard !ids.isEmpty else { return [] }
        let found = try await self.papers(
            "SELECT \(unescaped: PaperColumns.selectList) FROM paper WHERE id = ANY(\(ids.map(\.rawValue)))")
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    public func papers(announcedOn day: CalendarDay, page: PageRequest) async throws -> Page<Paper> {
        let key = day.description
        let total = try await self.count("SELECT count(*) FROM paper WHERE announced = \(key)")
        let items = try await self.papers(
            """
            SELECT \(unescaped: PaperColumns.selectList) FROM paper WHERE announced = \(key) ORDER BY position
            LIMIT \(page.limit) OFFSET \(page.offset)
            """)
        return Page(items: items, total: total)
    }

    public func paperKeys(announcedIn days: ClosedRange<CalendarDay>, category: String?) async throws -> [PaperKey] {
        let low = days.lowerBound.description
        let high = days.upperBound.description
        let rows: [PostgresRow]
        if let category {
            rows = try await self.rows(
                """
                SELECT p.id, p.announced FROM paper_category c JOIN paper p ON p.position = c.position
                WHERE c.category = \(category) AND c.announced BETWEEN \(low) AND \(high)
                ORDER BY c.announced DESC, c.position
                """)
        } else {
            rows = try await self.rows(
                """
                SELECT id, announced FROM paper WHERE announced BETWEEN \(low) AND \(high)
                ORDER BY announced DESC, position
                """)
        }
        return try rows.map { row in
            let (id, announced) = try PostgresStore.decode(row, (String, String).self, table: "paper")
            return PaperKey(id: PaperID(trusted: id), announced: try Self.day(announced, column: "announced"))
        }
    }

    public func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) async throws -> [String: Int] {
        let rows = try await self.rows(
            """
            SELECT categories::jsonb ->> 0 AS primary_category, count(*) FROM paper
            WHERE announced BETWEEN \(days.lowerBound.description) AND \(days.upperBound.description)
            AND categories::jsonb ->> 0 IS NOT NULL GROUP BY primary_category
            """)
        var counts: [String: Int] = [:]
        for row in rows {
            let (category, count) = try PostgresStore.decode(row, (String, Int).self, table: "paper")
            counts[category] = count
        }
        return counts
    }

    public func announcementDays(limit: Int) async throws -> [AnnouncementDay] {
        let rows = try await self.rows(
            "SELECT announced, count(*) FROM paper GROUP BY announced ORDER BY announced DESC LIMIT \(max(0, limit))")
        return try rows.map { row in
            let (day, count) = try PostgresStore.decode(row, (String, Int).self, table: "paper")
            return AnnouncementDay(day: try Self.day(day, column: "announced"), paperCount: count)
        }
    }

    public func latestAnnouncementDay() async throws -> CalendarDay? {
        try await self.day("SELECT max(announced) FROM paper")
    }

    public func adjacentAnnouncementDays(to day: CalendarDay) async throws -> AdjacentDays {
        let key = day.description
        return AdjacentDays(
            previous: try await self.day("SELECT max(announced) FROM paper WHERE announced < \(key)"),
            next: try await self.day("SELECT min(announced) FROM paper WHERE announced > \(key)"))
    }

    public func count() async throws -> Int {
        try await self.count("SELECT count(*) FROM paper")
    }

    public func changes(since sequence: Int64, limit: Int) async throws -> [PaperChange] {
        let limit = max(0, limit)
        let rows = try await self.rows(
            """
            SELECT sequence, \(unescaped: PaperColumns.selectList) FROM paper WHERE sequence > \(sequence)
            ORDER BY sequence LIMIT \(limit)
            """)
        var changes = try rows.map { row in
            let (sequence, id, announced, title, abstract, authors, categories, versions, links, details) =
                try PostgresStore.decode(
                    row, (Int64, String, String, String, String, String, String, String, String, String).self,
                    table: "paper")
            let paper = try PaperColumns.decode(
                PaperColumns.Encoded(
                    id: id, announced: announced, title: title, abstract: abstract, authors: authors,
                    categories: categories, versions: versions, links: links, details: details))
            return PaperChange(sequence: sequence, id: paper.id, paper: paper)
        }
        let removals = try await self.rows(
            "SELECT sequence, id FROM paper_removal WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)")
        guard !removals.isEmpty else { return changes }
        for row in removals {
            let (sequence, id) = try PostgresStore.decode(row, (Int64, String).self, table: "paper_removal")
            changes.append(PaperChange(sequence: sequence, id: PaperID(trusted: id), paper: nil))
        }
        changes.sort { $0.sequence < $1.sequence }
        return Array(changes.prefix(limit))
    }

    public func latestSequence() async throws -> Int64 {
        let rows = try await self.rows(
            """
            SELECT greatest((SELECT coalesce(max(sequence), 0) FROM paper),
                (SELECT coalesce(max(sequence), 0) FROM paper_removal))
            """)
        return try rows.first.map { try PostgresStore.decode($0, Int64.self, table: "paper") } ?? 0
    }

    // MARK: Helpers

    /// The papers a query of ``PaperColumns/selectList`` selects, in its order.
    func papers(_ query: PostgresQuery) async throws -> [Paper] {
        try await self.rows(query).map { try Self.paper($0, from: 0) }
    }

    /// The paper in the columns of ``PaperColumns/selectList`` from column `first` on.
    static func paper(_ row: PostgresRow, from first: Int) throws -> Paper {
        var columns: [String] = []
        columns.reserveCapacity(9)
        var index = 0
        for cell in row {
            defer { index += 1 }
            guard index >= first, index < first + 9 else { continue }
            do {
                columns.append(try cell.decode(String.self))
            } catch {
                throw StoreError(.corruptRow, "paper: column \(cell.columnName): \(error)")
            }
        }
        guard columns.count == 9 else { throw StoreError(.corruptRow, "paper: \(columns.count) of 9 columns") }
        return try PaperColumns.decode(
            PaperColumns.Encoded(
                id: columns[0], announced: columns[1], title: columns[2], abstract: columns[3], authors: columns[4],
                categories: columns[5], versions: columns[6], links: columns[7], details: columns[8]))
    }

    /// The one integer a query selects.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await self.rows(query).first.map { try PostgresStore.decode($0, Int.self, table: "count") } ?? 0
    }

    /// The one day (or NULL) a query selects.
    func day(_ query: PostgresQuery) async throws -> CalendarDay? {
        guard let row = try await self.rows(query).first,
            let text = try PostgresStore.decode(row, String?.self, table: "paper")
        else { return nil }
        return try Self.day(text, column: "announced")
    }

    static func day(_ text: String, column: String) throws(StoreError) -> CalendarDay {
        do {
            return try CalendarDay(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "paper: column \(column): \(error.message)")
        }
    }
}
