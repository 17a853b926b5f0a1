import GRDB
public import PaperboyModel
public import PaperboyStore

/// Lists are paged in SQL: the papers of a period or a category come from indexes in list order
/// (`paper_by_day`, `paper_category`), upvote counts per paper from the upvote table's primary
/// key, and a page's cards in one query.
extension SQLitePaperStore: ListStore {
    /// `trending_score(upvotes, age)`: ``Trending/score(upvotes:age:)``, so that SQL ranks with
    /// the very formula (and floating-point rounding) of every other backend.
    static let trendingScore = DatabaseFunction("trending_score", argumentCount: 2, pure: true) { values in
        Trending.score(upvotes: Int.fromDatabaseValue(values[0]) ?? 0, age: Double.fromDatabaseValue(values[1]) ?? 0)
    }

    public func list(_ query: ListQuery) async throws -> ListPage {
        let (ids, total) = try await self.read { db in
            let listed = Self.listed(query.scope, category: query.category)
            let total = try Int.fetchOne(db.cachedStatement(sql: listed.count), arguments: listed.countArguments) ?? 0
            var sql: String
            var arguments = listed.arguments
            if case .trending(let today) = query.order {
                sql = """
                    SELECT l.id FROM (\(listed.sql)) l
                    ORDER BY trending_score(\(listed.votes), julianday(?) - julianday(l.day)) DESC, \(listed.dateOrder)
                    """
                arguments += [today.description]
            } else {
                sql = "\(listed.sql) ORDER BY \(listed.dateOrder)"
            }
            sql += " LIMIT ? OFFSET ?"
            arguments += [query.page.limit, query.page.offset]
            return (
                try String.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { PaperID(trusted: $0) },
                total
            )
        }
        return ListPage(cards: try await self.cards(ids: ids, viewer: query.viewer), total: total)
    }

    /// A list as SQL: `sql` selects its rows (`id`, the `day` it is listed on, and what
    /// `dateOrder` sorts by), `votes` counts the upvotes of a row `l` of it, `count` counts the
    /// rows.
    struct ListedRows {
        var sql: String
        var arguments: StatementArguments
        var dateOrder: String
        var votes = "(SELECT count(*) FROM upvote u WHERE u.paper_id = l.id)"
        var count: String
        var countArguments: StatementArguments
    }

    /// The rows of a list. Date order reads `paper_by_day` or `paper_category` in index order
    /// for every paper or a category; a period's rows (a day's few hundred, a month's few
    /// thousand) are sorted.
    static func listed(_ scope: ListQuery.Scope, category: String?) -> ListedRows {
        let inCategory = """
            EXISTS (SELECT 1 FROM paper_category c
              WHERE c.category = ? AND c.announced = p.announced AND c.position = p.position)
            """
        switch scope {
        case .all:
            if let category {
                return ListedRows(
                    sql: """
                        SELECT p.id AS id, c.announced AS day, c.position AS ord
                        FROM paper_category c JOIN paper p ON p.position = c.position WHERE c.category = ?
                        """, arguments: [category], dateOrder: "day DESC, ord",
                    count: "SELECT count(*) FROM paper_category WHERE category = ?", countArguments: [category])
            }
            return ListedRows(
                sql: "SELECT p.id AS id, p.announced AS day, p.position AS ord FROM paper p", arguments: [],
                dateOrder: "day DESC, ord", count: "SELECT count(*) FROM paper", countArguments: [])
        case .upvoted:
            var sql = """
                SELECT p.id AS id, p.announced AS day, v.n AS votes
                FROM (SELECT paper_id, count(*) AS n FROM upvote GROUP BY paper_id) v JOIN paper p ON p.id = v.paper_id
                """
            var arguments: StatementArguments = []
            if let category {
                sql += " WHERE \(inCategory)"
                arguments += [category]
            }
            return ListedRows(
                sql: sql, arguments: arguments, dateOrder: "day DESC, id", votes: "l.votes",
                count: "SELECT count(*) FROM (\(sql))", countArguments: arguments)
        case .days(let days):
            let low = days.lowerBound.description
            let high = days.upperBound.description
            var sql: String
            var arguments: StatementArguments
            if let category {
                sql = """
                    SELECT p.id AS id, c.announced AS day, 0 AS kind, c.position AS ord
                    FROM paper_category c JOIN paper p ON p.position = c.position
                    WHERE c.category = ? AND c.announced BETWEEN ? AND ?
                    """
                arguments = [category, low, high]
            } else {
                sql = """
                    SELECT p.id AS id, p.announced AS day, 0 AS kind, p.position AS ord
                    FROM paper p WHERE p.announced BETWEEN ? AND ?
                    """
                arguments = [low, high]
            }
            sql += """
                 UNION ALL
                SELECT p.id AS id, s.day AS day, 1 AS kind, s.created AS ord
                FROM submission s JOIN paper p ON p.id = s.paper_id
                WHERE s.day BETWEEN ? AND ? AND p.announced NOT BETWEEN ? AND ?
                """
            arguments += [low, high, low, high]
            if let category {
                sql += " AND \(inCategory)"
                arguments += [category]
            }
            sql = "SELECT id, day, kind, ord FROM (\(sql))"
            return ListedRows(
                sql: sql, arguments: arguments, dateOrder: "day DESC, kind, ord, id",
                count: "SELECT count(*) FROM (\(sql))", countArguments: arguments)
        }
    }

    public func latestListDay() async throws -> CalendarDay? {
        try await self.read { db in
            try String.fetchOne(
                db,
                sql:
                    "SELECT max(day) FROM (SELECT max(announced) AS day FROM paper UNION ALL SELECT max(day) FROM submission)"
            ).map { try Self.listDay($0) }
        }
    }

    public func adjacentListDays(to day: CalendarDay) async throws -> AdjacentDays {
        try await self.read { db in
            let key = day.description
            let previous = try String.fetchOne(
                db,
                sql: """
                    SELECT max(day) FROM (SELECT max(announced) AS day FROM paper WHERE announced < ?
                    UNION ALL SELECT max(day) FROM submission WHERE day < ?)
                    """, arguments: [key, key])
            let next = try String.fetchOne(
                db,
                sql: """
                    SELECT min(day) FROM (SELECT min(announced) AS day FROM paper WHERE announced > ?
                    UNION ALL SELECT min(day) FROM submission WHERE day > ?)
                    """, arguments: [key, key])
            return AdjacentDays(previous: try previous.map(Self.listDay), next: try next.map(Self.listDay))
        }
    }

    public func cards(ids: [PaperID], viewer: Int64?) async throws -> [PaperCard] {
        try await self.cardRows(ids, viewer: viewer, withPapers: true).compactMap(\.card)
    }

    public func cards(for papers: [Paper], viewer: Int64?) async throws -> [PaperCard] {
        let facts = Dictionary(
            try await self.cardRows(papers.map(\.id), viewer: viewer, withPapers: false).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        return papers.map { paper in
            var card = PaperCard(paper: paper, upvotes: 0)
            if let row = facts[paper.id] { row.fill(&card) }
            return card
        }
    }

    /// What one query says about each stored paper among `ids`, in the order of `ids`.
    private func cardRows(_ ids: [PaperID], viewer: Int64?, withPapers: Bool) async throws -> [CardRow] {
        guard !ids.isEmpty else { return [] }
        let found = try await self.read { db in
            var found: [PaperID: CardRow] = [:]
            try Self.inChunks(ids) { marks, values in
                let sql = """
                    SELECT p.id,
                      (SELECT count(*) FROM upvote u WHERE u.paper_id = p.id),
                      (SELECT count(*) FROM comment c WHERE c.paper_id = p.id AND c.hidden = 0 AND c.deleted IS NULL),
                      s.day, s.member_id, m.display_name,
                      EXISTS (SELECT 1 FROM upvote u WHERE u.paper_id = p.id AND u.member_id = ?)
                      \(withPapers ? ", " + Self.paperColumns : "")
                    FROM paper p LEFT JOIN submission s ON s.paper_id = p.id LEFT JOIN member m ON m.id = s.member_id
                    WHERE p.id IN (\(marks))
                    """
                let cursor = try Row.fetchCursor(
                    try db.cachedStatement(sql: sql),
                    arguments: StatementArguments([viewer ?? -1] as [any DatabaseValueConvertible] + values))
                while let row = try cursor.next() {
                    let id = PaperID(trusted: row[0])
                    let day: String? = row[3]
                    let memberID: Int64? = row[4]
                    let name: String? = row[5]
                    found[id] = CardRow(
                        id: id, upvotes: row[1], comments: row[2], submittedOn: try day.map(Self.listDay),
                        submitter: memberID == nil ? nil : (name ?? "a former member"), upvotedByViewer: row[6],
                        paper: withPapers ? try PaperColumns.decode(Self.encoded(row, from: 7)) : nil)
                }
            }
            return found
        }
        return ids.compactMap { found[$0] }
    }

    private static func listDay(_ text: String) throws(StoreError) -> CalendarDay {
        do {
            return try CalendarDay(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "list day: \"\(text)\": \(error.message)")
        }
    }
}

extension SQLitePaperStore {
    /// ``PaperColumns/selectList`` qualified by the table alias `p`.
    fileprivate static let paperColumns = PaperColumns.selectList.split(separator: ",").map {
        "p." + $0.filter { $0 != " " }
    }.joined(separator: ", ")
}

/// One paper's row of a cards query.
private struct CardRow: Sendable {
    var id: PaperID
    var upvotes: Int
    var comments: Int
    var submittedOn: CalendarDay?
    var submitter: String?
    var upvotedByViewer: Bool
    var paper: Paper?

    var card: PaperCard? {
        guard let paper else { return nil }
        var card = PaperCard(paper: paper, upvotes: 0)
        self.fill(&card)
        return card
    }

    func fill(_ card: inout PaperCard) {
        card.upvotes = self.upvotes
        card.comments = self.comments
        card.submitter = self.submitter
        card.submittedOn = self.submittedOn
        card.upvotedByViewer = self.upvotedByViewer
    }
}
