public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Lists are paged in SQL, as in SQLite: a period's or a category's papers come from
/// `paper_by_day` or `paper_category` in list order, trending ranks by `trending_score` (the
/// formula of ``Trending``), and a page's cards come in one query.
extension PostgresStore: ListStore {
    public func list(_ query: ListQuery) async throws -> ListPage {
        let listed = Self.listed(query.scope, category: query.category)
        var count = listed.builder
        count.sql = "SELECT count(*) FROM (\(listed.builder.sql)) AS l"
        let total = try await self.count(count.query)
        var page = listed.builder
        if case .trending(let today) = query.order {
            let day = page.bind(today.description)
            page.sql = """
                SELECT l.id FROM (\(page.sql)) AS l
                ORDER BY trending_score(\(listed.votes), (\(day)::date - l.day::date)::double precision) DESC,
                    \(listed.dateOrder)
                """
        } else {
            page.sql = "SELECT l.id FROM (\(page.sql)) AS l ORDER BY \(listed.dateOrder)"
        }
        page.sql += " LIMIT \(page.bind(query.page.limit)) OFFSET \(page.bind(query.page.offset))"
        let ids = try await self.rows(page.query).map {
            PaperID(trusted: try PostgresStore.decode($0, String.self, table: "paper"))
        }
        return ListPage(cards: try await self.cards(ids: ids, viewer: query.viewer), total: total)
    }

    /// A list as SQL: `builder` selects its rows (`id`, the `day` it is listed on, and what
    /// `dateOrder` sorts by); `votes` counts the upvotes of a row `l` of it.
    struct ListedRows {
        var builder: SQLBuilder
        var dateOrder: String
        var votes = "(SELECT count(*) FROM upvote u WHERE u.paper_id = l.id)"
    }

    static func listed(_ scope: ListQuery.Scope, category: String?) -> ListedRows {
        var builder = SQLBuilder()
        func inCategory(_ builder: inout SQLBuilder, _ category: String) -> String {
            """
            EXISTS (SELECT 1 FROM paper_category c
              WHERE c.category = \(builder.bind(category)) AND c.announced = p.announced AND c.position = p.position)
            """
        }
        switch scope {
        case .all:
            if let category {
                builder.sql = """
                    SELECT p.id AS id, c.announced AS day, c.position AS ord
                    FROM paper_category c JOIN paper p ON p.position = c.position
                    WHERE c.category = \(builder.bind(category))
                    """
            } else {
                builder.sql = "SELECT p.id AS id, p.announced AS day, p.position AS ord FROM paper p"
            }
            return ListedRows(builder: builder, dateOrder: "l.day DESC, l.ord")
        case .upvoted:
            builder.sql = """
                SELECT p.id AS id, p.announced AS day, v.n AS votes
                FROM (SELECT paper_id, count(*) AS n FROM upvote GROUP BY paper_id) v JOIN paper p ON p.id = v.paper_id
                """
            if let category { builder.sql += " WHERE " + inCategory(&builder, category) }
            return ListedRows(builder: builder, dateOrder: "l.day DESC, l.id", votes: "l.votes")
        case .days(let days):
            let low = days.lowerBound.description
            let high = days.upperBound.description
            if let category {
                builder.sql = """
                    SELECT p.id AS id, c.announced AS day, 0 AS kind, c.position::double precision AS ord
                    FROM paper_category c JOIN paper p ON p.position = c.position
                    WHERE c.category = \(builder.bind(category))
                      AND c.announced BETWEEN \(builder.bind(low)) AND \(builder.bind(high))
                    """
            } else {
                builder.sql = """
                    SELECT p.id AS id, p.announced AS day, 0 AS kind, p.position::double precision AS ord
                    FROM paper p WHERE p.announced BETWEEN \(builder.bind(low)) AND \(builder.bind(high))
                    """
            }
            builder.sql += """

                UNION ALL
                SELECT p.id AS id, s.day AS day, 1 AS kind, s.created AS ord
                FROM submission s JOIN paper p ON p.id = s.paper_id
                WHERE s.day BETWEEN \(builder.bind(low)) AND \(builder.bind(high))
                  AND p.announced NOT BETWEEN \(builder.bind(low)) AND \(builder.bind(high))
                """
            if let category { builder.sql += " AND " + inCategory(&builder, category) }
            return ListedRows(builder: builder, dateOrder: "l.day DESC, l.kind, l.ord, l.id")
        }
    }

    public func latestListDay() async throws -> CalendarDay? {
        try await self.day("SELECT greatest((SELECT max(announced) FROM paper), (SELECT max(day) FROM submission))")
    }

    public func adjacentListDays(to day: CalendarDay) async throws -> AdjacentDays {
        let key = day.description
        return AdjacentDays(
            previous: try await self.day(
                """
                SELECT greatest((SELECT max(announced) FROM paper WHERE announced < \(key)),
                    (SELECT max(day) FROM submission WHERE day < \(key)))
                """),
            next: try await self.day(
                """
                SELECT least((SELECT min(announced) FROM paper WHERE announced > \(key)),
                    (SELECT min(day) FROM submission WHERE day > \(key)))
                """))
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
        let columns = withPapers ? ", " + Self.paperColumns : ""
        let rows = try await self.rows(
            """
            SELECT p.id,
              (SELECT count(*) FROM upvote u WHERE u.paper_id = p.id),
              (SELECT count(*) FROM comment c WHERE c.paper_id = p.id AND NOT c.hidden AND c.deleted IS NULL),
              s.day, s.member_id, m.display_name,
              EXISTS (SELECT 1 FROM upvote u WHERE u.paper_id = p.id AND u.member_id = \(viewer ?? -1))
              \(unescaped: columns)
            FROM paper p LEFT JOIN submission s ON s.paper_id = p.id LEFT JOIN member m ON m.id = s.member_id
            WHERE p.id = ANY(\(ids.map(\.rawValue)))
            """)
        var found: [PaperID: CardRow] = [:]
        for row in rows {
            let (id, upvotes, comments, day, memberID, name, upvoted) = try PostgresStore.decode(
                row, (String, Int, Int, String?, Int64?, String?, Bool).self, table: "paper")
            let paperID = PaperID(trusted: id)
            found[paperID] = CardRow(
                id: paperID, upvotes: upvotes, comments: comments,
                submittedOn: try day.map { try Self.day($0, column: "submission day") },
                submitter: memberID == nil ? nil : (name ?? "a former member"), upvotedByViewer: upvoted,
                paper: withPapers ? try Self.paper(row, from: 7) : nil)
        }
        return ids.compactMap { found[$0] }
    }

    /// ``PaperColumns/selectList`` qualified by the table alias `p`.
    fileprivate static let paperColumns = PaperColumns.selectList.split(separator: ",").map {
        "p." + $0.filter { $0 != " " }
    }.joined(separator: ", ")
}

/// SQL text and its bound values, built up piece by piece (`$1`, `$2`, … in order of binding).
struct SQLBuilder {
    var sql = ""
    var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        self.binds.append(value)
        return "$\(self.binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: self.sql, binds: self.binds) }
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
