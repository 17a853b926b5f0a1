import Foundation
import Logging
import PaperboyModel
import PaperboyStore
import PostgresNIO

/// The write side of the paper store: runs inside one transaction, under the paper write lock.
///
/// A batch of papers with real ids, into a store without title-only papers (every harvest and
/// bulk ingest), is written set-wise: the stored papers of the batch come in one query, merge in
/// memory, and the new and changed rows go in with one `INSERT … SELECT FROM unnest(…)` and one
/// `UPDATE … FROM unnest(…)`, whatever the batch's size. A batch that involves title-only papers
/// (listing pages, rare and small) goes paper by paper, as in SQLite, since each record may take
/// over or absorb another.
struct PostgresPaperWriter {
    /// The transaction-level advisory lock every paper write holds until it commits.
    static let lockKey: Int64 = 0x5041_5045_5257_5254  // "PAPERWRT"

    let connection: PostgresConnection
    let logger: Logger
    private var sequence: Int64 = 0
    /// Positions whose `paper_category` rows must be made again from `paper`.
    private var touched: [Int64] = []
    /// `paper_category` rows of papers written set-wise, known without reading them back (one per
    /// distinct category of a paper at a new or emptied position, so none can clash).
    private var categoryRows: (categories: [String], days: [String], positions: [Int64]) = ([], [], [])
    /// Positions whose old `paper_category` rows go before ``categoryRows`` go in.
    private var replaced: [Int64] = []

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    mutating func write(_ batch: StoreBatch, rows: [PaperColumns.Encoded]) async throws -> UpsertSummary {
        try await self.execute("SELECT pg_advisory_xact_lock(\(Self.lockKey))")
        self.sequence = try await self.int64(
            """
            SELECT greatest((SELECT coalesce(max(sequence), 0) FROM paper),
                (SELECT coalesce(max(sequence), 0) FROM paper_removal))
            """)
        var summary = UpsertSummary()
        if !batch.papers.isEmpty {
            let hasTitlePapers = try await self.exists("SELECT 1 FROM paper WHERE id >= 't-' AND id < 't.'")
            if hasTitlePapers || batch.papers.contains(where: \.id.isTitleDerived) {
                try await self.upsertOneByOne(batch.papers, hasTitlePapers: hasTitlePapers, into: &summary)
            } else {
                try await self.upsertSetwise(batch.papers, rows: rows, into: &summary)
            }
        }
        if !batch.removals.isEmpty { summary.removed = try await self.remove(batch.removals) }
        try await self.rebuildCategories()
        if let checkpoint = batch.checkpoint {
            try await self.execute(
                """
                INSERT INTO checkpoint (name, value, updated)
                VALUES (\(checkpoint.name), \(checkpoint.value), \(ISO8601DateFormatter().string(from: Date())))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated
                """)
        }
        return summary
    }

    // MARK: Set-wise

    private mutating func upsertSetwise(
        _ papers: [Paper], rows: [PaperColumns.Encoded], into summary: inout UpsertSummary
    ) async throws {
        // The stored papers of the batch, and each id's state as the batch goes on.
        var current: [String: Paper] = [:]
        for row in try await self.rows(
            "SELECT \(unescaped: PaperColumns.selectList) FROM paper WHERE id = ANY(\(papers.map(\.id.rawValue)))")
        {
            let paper = try PostgresStore.paper(row, from: 0)
            current[paper.id.rawValue] = paper
        }
        let stored = Set(current.keys)
        var added: [String] = []
        // Where each new paper's first record is, and which new papers a later record changed.
        var firstRecord: [String: Int] = [:]
        var changedAfterAdding = Set<String>()
        var changed = Set<String>()
        for (index, incoming) in papers.enumerated() {
            let key = incoming.id.rawValue
            guard let existing = current[key] else {
                current[key] = incoming
                added.append(key)
                firstRecord[key] = index
                summary.added += 1
                continue
            }
            let merged = existing.merged(with: incoming)
            if merged == existing {
                summary.unchanged += 1
            } else {
                current[key] = merged
                if stored.contains(key) { changed.insert(key) } else { changedAfterAdding.insert(key) }
                summary.updated += 1
            }
        }
        // New papers go in in batch order (their positions follow it), as they ended up; rows
        // encoded ahead hold for papers that went in as their first record.
        if !added.isEmpty {
            let encoded = added.map { key in
                changedAfterAdding.contains(key) || firstRecord[key]! >= rows.count
                    ? PaperColumns.encode(current[key]!) : rows[firstRecord[key]!]
            }
            let inserted = try await self.insert(encoded)
            self.noteCategories(of: inserted, from: current)
            try await self.execute("DELETE FROM paper_removal WHERE id = ANY(\(added))")
        }
        if !changed.isEmpty {
            let keys = papers.map(\.id.rawValue).filter { changed.remove($0) != nil }
            let updated = try await self.update(keys.map { PaperColumns.encode(current[$0]!) })
            self.replaced += updated.map(\.position)
            self.noteCategories(of: updated, from: current)
        }
    }

    /// Notes the `paper_category` rows of papers just written at these positions.
    private mutating func noteCategories(of written: [(position: Int64, id: String)], from papers: [String: Paper]) {
        for (position, id) in written {
            guard let paper = papers[id] else { continue }
            let day = paper.announced.description
            for category in Set(paper.categories) {
                self.categoryRows.categories.append(category)
                self.categoryRows.days.append(day)
                self.categoryRows.positions.append(position)
            }
        }
    }

    /// Inserts new rows in order, with the next sequence numbers; returns their positions.
    /// A position of 0 means the next one; another takes over a removed title-only paper's.
    private mutating func insert(
        _ rows: [PaperColumns.Encoded], positions: [Int64]? = nil
    ) async throws -> [(position: Int64, id: String)] {
        let first = self.sequence + 1
        self.sequence += Int64(rows.count)
        let sequences = Array(first...self.sequence)
        let query: PostgresQuery
        if let positions {
            query = """
                INSERT INTO paper (position, sequence, id, announced, title, abstract, authors, categories, versions,
                    links, details, title_id)
                SELECT CASE WHEN u.position = 0 THEN nextval(pg_get_serial_sequence('paper', 'position'))
                        ELSE u.position END,
                    u.sequence, u.id, u.announced, u.title, u.abstract, u.authors, u.categories, u.versions, u.links,
                    u.details, CASE WHEN u.id >= 't-' AND u.id < 't.' THEN '' END
                FROM unnest(\(positions), \(sequences), \(rows.map(\.id)), \(rows.map(\.announced)),
                    \(rows.map(\.title)), \(rows.map(\.abstract)), \(rows.map(\.authors)), \(rows.map(\.categories)),
                    \(rows.map(\.versions)), \(rows.map(\.links)), \(rows.map(\.details)))
                    WITH ORDINALITY AS u(position, sequence, id, announced, title, abstract, authors, categories,
                        versions, links, details, ordinal)
                ORDER BY u.ordinal
                RETURNING position, id
                """
        } else {
            // The bulk path: positions from the identity, in batch order.
            query = """
                INSERT INTO paper (sequence, id, announced, title, abstract, authors, categories, versions, links,
                    details, title_id)
                SELECT u.sequence, u.id, u.announced, u.title, u.abstract, u.authors, u.categories, u.versions,
                    u.links, u.details, CASE WHEN u.id >= 't-' AND u.id < 't.' THEN '' END
                FROM unnest(\(sequences), \(rows.map(\.id)), \(rows.map(\.announced)), \(rows.map(\.title)),
                    \(rows.map(\.abstract)), \(rows.map(\.authors)), \(rows.map(\.categories)),
                    \(rows.map(\.versions)), \(rows.map(\.links)), \(rows.map(\.details)))
                    WITH ORDINALITY AS u(sequence, id, announced, title, abstract, authors, categories, versions,
                        links, details, ordinal)
                ORDER BY u.ordinal
                RETURNING position, id
                """
        }
        return try await self.rows(query).map { try PostgresStore.decode($0, (Int64, String).self, table: "paper") }
    }

    /// Rewrites stored rows (by id) with the next sequence numbers; returns their positions.
    private mutating func update(_ rows: [PaperColumns.Encoded]) async throws -> [(position: Int64, id: String)] {
        guard !rows.isEmpty else { return [] }
        let first = self.sequence + 1
        self.sequence += Int64(rows.count)
        let sequences = Array(first...self.sequence)
        let query: PostgresQuery = """
            UPDATE paper SET sequence = u.sequence, announced = u.announced, title = u.title, abstract = u.abstract,
                authors = u.authors, categories = u.categories, versions = u.versions, links = u.links,
                details = u.details,
                title_id = CASE WHEN u.id >= 't-' AND u.id < 't.' THEN '' ELSE NULL END
            FROM unnest(\(sequences), \(rows.map(\.id)), \(rows.map(\.announced)), \(rows.map(\.title)),
                \(rows.map(\.abstract)), \(rows.map(\.authors)), \(rows.map(\.categories)), \(rows.map(\.versions)),
                \(rows.map(\.links)), \(rows.map(\.details)))
                AS u(sequence, id, announced, title, abstract, authors, categories, versions, links, details)
            WHERE paper.id = u.id
            RETURNING paper.position, paper.id
            """
        return try await self.rows(query).map { try PostgresStore.decode($0, (Int64, String).self, table: "paper") }
    }

    // MARK: One by one

    /// SQLite's algorithm, record by record: title-only records find the paper they belong to.
    private mutating func upsertOneByOne(
        _ papers: [Paper], hasTitlePapers: Bool, into summary: inout UpsertSummary
    ) async throws {
        var hasTitlePapers = hasTitlePapers
        var titleIDsReady = false
        for incoming in papers {
            if incoming.id.isTitleDerived {
                hasTitlePapers = true
                if !titleIDsReady {
                    try await self.backfillTitleIDs()
                    titleIDsReady = true
                }
                if let owner = try await self.fetch(
                    """
                    SELECT position, \(unescaped: PaperColumns.selectList) FROM paper
                    WHERE title_id = \(incoming.id.rawValue) ORDER BY position LIMIT 1
                    """)
                {
                    let absorbed = owner.paper.absorbing(incoming)
                    if absorbed == owner.paper {
                        summary.unchanged += 1
                    } else {
                        self.touched += try await self.update([PaperColumns.encode(absorbed)]).map(\.position)
                        summary.updated += 1
                    }
                    continue
                }
            }
            let existing = try await self.fetchPaper(id: incoming.id.rawValue)
            var merged = existing.map { $0.paper.merged(with: incoming) } ?? incoming
            var takenPosition: Int64? = nil
            if hasTitlePapers, !incoming.id.isTitleDerived,
                let titlePaper = try await self.fetchPaper(id: merged.titleID.rawValue)
            {
                // The paper was listed by title before its real record arrived: take it over.
                merged = merged.absorbing(titlePaper.paper)
                _ = try await self.remove([titlePaper.paper.id])
                if existing == nil { takenPosition = titlePaper.position }
            }
            if let existing {
                if merged == existing.paper {
                    summary.unchanged += 1
                } else {
                    self.touched += try await self.update([PaperColumns.encode(merged)]).map(\.position)
                    summary.updated += 1
                }
            } else {
                self.touched += try await self.insert([PaperColumns.encode(merged)], positions: [takenPosition ?? 0])
                    .map(\.position)
                try await self.execute("DELETE FROM paper_removal WHERE id = \(merged.id.rawValue)")
                summary.added += 1
            }
        }
    }

    private func fetchPaper(id: String) async throws -> (position: Int64, paper: Paper)? {
        try await self.fetch("SELECT position, \(unescaped: PaperColumns.selectList) FROM paper WHERE id = \(id)")
    }

    private func fetch(_ query: PostgresQuery) async throws -> (position: Int64, paper: Paper)? {
        guard let row = try await self.rows(query).first else { return nil }
        return (try PostgresStore.decode(row, Int64.self, table: "paper"), try PostgresStore.paper(row, from: 1))
    }

    /// Computes the `title_id` of every paper written since the last backfill, so that title-only
    /// records find their paper (bulk ingests of real ids leave it for the first title-only
    /// record to pay once).
    private func backfillTitleIDs() async throws {
        var positions: [Int64] = []
        var titleIDs: [String] = []
        for row in try await self.rows("SELECT position, title FROM paper WHERE title_id IS NULL") {
            let (position, title) = try PostgresStore.decode(row, (Int64, String).self, table: "paper")
            positions.append(position)
            titleIDs.append(PaperID(title: title).rawValue)
        }
        guard !positions.isEmpty else { return }
        try await self.execute(
            """
            UPDATE paper SET title_id = u.title_id FROM unnest(\(positions), \(titleIDs)) AS u(position, title_id)
            WHERE paper.position = u.position
            """)
    }

    // MARK: Removals and categories

    private mutating func remove(_ ids: [PaperID]) async throws -> Int {
        var count = 0
        for id in ids {
            let gone = try await self.rows("DELETE FROM paper WHERE id = \(id.rawValue) RETURNING position")
            guard let row = gone.first else { continue }
            self.touched.append(try PostgresStore.decode(row, Int64.self, table: "paper"))
            self.sequence += 1
            try await self.execute(
                """
                INSERT INTO paper_removal (id, sequence) VALUES (\(id.rawValue), \(self.sequence))
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence
                """)
            count += 1
        }
        return count
    }

    /// Brings `paper_category` up to date: the rows noted for papers written set-wise go in (after
    /// the old ones of replaced positions go), and every touched position's rows are made again
    /// from the papers there now.
    private mutating func rebuildCategories() async throws {
        if !self.replaced.isEmpty {
            try await self.execute("DELETE FROM paper_category WHERE position = ANY(\(self.replaced))")
            self.replaced = []
        }
        if !self.categoryRows.positions.isEmpty {
            try await self.execute(
                """
                INSERT INTO paper_category (category, announced, position)
                SELECT * FROM unnest(\(self.categoryRows.categories), \(self.categoryRows.days),
                    \(self.categoryRows.positions))
                """)
            self.categoryRows = ([], [], [])
        }
        guard !self.touched.isEmpty else { return }
        let positions = Array(Set(self.touched))
        self.touched = []
        try await self.execute("DELETE FROM paper_category WHERE position = ANY(\(positions))")
        try await self.execute(
            """
            INSERT INTO paper_category (category, announced, position)
            SELECT DISTINCT c.category, p.announced, p.position
            FROM paper p CROSS JOIN LATERAL jsonb_array_elements_text(p.categories::jsonb) AS c(category)
            WHERE p.position = ANY(\(positions))
            ON CONFLICT DO NOTHING
            """)
    }

    // MARK: Queries

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.connection.rows(query, logger: self.logger)
    }

    private func execute(_ query: PostgresQuery) async throws {
        try await self.connection.execute(query, logger: self.logger)
    }

    private func int64(_ query: PostgresQuery) async throws -> Int64 {
        try await self.rows(query).first.map { try PostgresStore.decode($0, Int64.self, table: "paper") } ?? 0
    }

    private func exists(_ query: PostgresQuery) async throws -> Bool {
        !(try await self.rows(query)).isEmpty
    }
}
