import Hummingbird
import PaperboyModel
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// The HTML pages: the daily list, a paper, search results.
struct PageController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: self.daily)
        router.get("/papers/**", use: self.paper)
        router.get("/search", use: self.search)
    }

    /// `/` and `/?date=YYYY-MM-DD`: one announcement day.
    @Sendable func daily(_ request: Request, context: Context) async throws -> Response {
        let requested = try RequestValues.day(request)
        let latest = try await self.site.store.latestAnnouncementDay()
        guard let day = requested ?? latest else {
            return try self.html(
                "daily",
                DailyPageView(
                    heading: "No papers yet", longHeading: "Add some with: paperboy ingest FILE", isoDate: "",
                    count: nil,
                    empty: true, papers: []
                )
            )
        }
        async let page = self.site.store.papers(announcedOn: day, page: PageRequest(offset: 0, limit: 1_000))
        async let adjacent = self.site.store.adjacentAnnouncementDays(to: day)
        let papers = try await page
        let around = try await adjacent
        let view = DailyPageView(
            heading: day.shortHeading + (day.year == CalendarDay.today().year ? "" : ", \(day.year)"),
            longHeading: day.longHeading,
            isoDate: day.description,
            count: papers.total > 0 ? papers.total : nil,
            empty: papers.items.isEmpty,
            previous: around.previous.map(DayLinkView.init),
            next: around.next.map(DayLinkView.init),
            papers: papers.items.map { PaperItemView($0) }
        )
        return try self.html("daily", view)
    }

    /// `/papers/{id}`: one paper.
    @Sendable func paper(_ request: Request, context: Context) async throws -> Response {
        let id = try RequestValues.paperID(context)
        guard let paper = try await self.site.store.paper(id: id) else {
            throw WebError.notFound("No paper with id \(id) is stored here.")
        }
        return try self.html("paper", PaperPageView(paper))
    }

    /// `/search?q=…&page=N`: ranked results with highlighted snippets.
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        let query = RequestValues.parameter(request, "q")?.trimmingWhitespace() ?? ""
        guard !query.isEmpty else {
            return try self.html(
                "search",
                SearchPageView(query: nil, queryURL: "", totalLabel: "", empty: true, results: [])
            )
        }
        let perPage = 20
        let page = try RequestValues.integer(request, "page", default: 1, in: 1...500)
        let mode: QueryParser.Mode = RequestValues.parameter(request, "mode") == "and" ? .and : .or
        let found: PaperSearch.Results
        do {
            found = try await self.site.search.search(query, limit: perPage, offset: (page - 1) * perPage, mode: mode)
        } catch let error as SearchError {
            // A malformed query: the page again, with the query kept and what is wrong with it.
            let view = SearchPageView(
                query: query, error: error.message, queryURL: query.addingPercentEncodingForQuery(), totalLabel: "",
                empty: false, results: [])
            return Response.html(try self.site.render("search", view), status: .badRequest)
        }
        let total = found.totalHitsIsExact ? "\(found.totalHits)" : "more than \(found.totalHits)"
        let view = SearchPageView(
            query: query,
            indexing: self.site.index.isReady
                ? nil
                : "The search index is still being built (\(self.site.index.searcher.documentCount) papers so far); results are incomplete.",
            queryURL: query.addingPercentEncodingForQuery(),
            totalLabel: found.totalHits == 1 && found.totalHitsIsExact ? "1 paper" : "\(total) papers",
            empty: found.results.isEmpty,
            results: found.results.map { PaperItemView($0) },
            previousPage: page > 1 ? page - 1 : nil,
            nextPage: page * perPage < found.totalHits || (!found.totalHitsIsExact && found.results.count == perPage)
                ? page + 1 : nil
        )
        return try self.html("search", view)
    }

    private func html(_ template: String, _ view: Any) throws -> Response {
        Response.html(try self.site.render(template, view))
    }
}

extension Response {
    /// A 200 (or other) HTML response.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }
}

extension String {
    /// The text without white space at either end.
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The text percent-encoded for a URL query value.
    func addingPercentEncodingForQuery() -> String {
        var out = ""
        for byte in self.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
