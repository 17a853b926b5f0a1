import Foundation
import Hummingbird
import PaperboyModel
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// The JSON API, in Hugging Face's shapes.
struct APIController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        let api = router.group("api")
        api.get("daily_papers", use: self.dailyPapers)
        api.get("papers/search", use: self.search)
        api.get("papers/**", use: self.paper)
    }

    /// `GET /api/daily_papers?date=YYYY-MM-DD&p=0&limit=100`: the papers of a day (the latest by default).
    @Sendable func dailyPapers(_ request: Request, context: Context) async throws -> Response {
        let limit = try RequestValues.integer(request, "limit", default: 100, in: 1...1_000)
        let page = try RequestValues.integer(request, "p", default: 0, in: 0...100_000)
        let requested = try RequestValues.day(request)
        let latest = requested == nil ? try await self.site.store.latestAnnouncementDay() : nil
        guard let day = requested ?? latest else {
            return try JSONResponse.encode([HFDailyPaper]())
        }
        let papers = try await self.site.store.papers(
            announcedOn: day, page: PageRequest(offset: page * limit, limit: limit))
        let counts = try await self.site.votes.upvoteCounts(papers.items.map(\.id))
        return try JSONResponse.encode(papers.items.map { HFDailyPaper($0, upvotes: counts[$0.id] ?? 0) })
    }

    /// `GET /api/papers/{id}`.
    @Sendable func paper(_ request: Request, context: Context) async throws -> Response {
        let id = try RequestValues.paperID(context)
        guard let paper = try await self.site.store.paper(id: id) else {
            throw WebError.notFound("no paper with id \(id)")
        }
        let upvotes = try await self.site.votes.upvoteCounts([paper.id])[paper.id] ?? 0
        return try JSONResponse.encode(HFPaper(paper, upvotes: upvotes))
    }

    /// `GET /api/papers/search?q=…&limit=N`.
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        guard let query = RequestValues.parameter(request, "q")?.trimmingWhitespace(), !query.isEmpty else {
            throw WebError.badRequest(code: "missing_query", "query parameter 'q' is required")
        }
        let limit = try RequestValues.integer(request, "limit", default: 20, in: 1...100)
        let mode: QueryParser.Mode
        switch RequestValues.parameter(request, "mode") {
        case nil, "", "or": mode = .or
        case "and": mode = .and
        case let other?:
            throw WebError.badRequest(
                code: "invalid_parameter", "query parameter 'mode' must be 'or' or 'and', not \"\(other)\"")
        }
        let found = try await self.site.search.search(query, limit: limit, mode: mode)
        let counts = try await self.site.votes.upvoteCounts(found.results.map(\.paper.id))
        return try JSONResponse.encode(found.results.map { HFDailyPaper($0.paper, upvotes: counts[$0.paper.id] ?? 0) })
    }
}

/// JSON responses.
enum JSONResponse {
    static func encode(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
