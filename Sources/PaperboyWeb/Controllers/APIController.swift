import Foundation
import Hummingbird
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// The JSON API, in Hugging Face's shapes where one exists. Reads are open; writes need an API
/// token (`Authorization: Bearer pb_…`, made on the account page). Errors are
/// `{"error": {"code", "message"}}`. `/openapi.json` describes every route here.
struct APIController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        let api = router.group("api")
        api.get("daily_papers") { request, _ in try await self.cached(request, self.dailyPapers) }
        api.get("trending") { request, _ in try await self.cached(request, self.trending) }
        api.get("papers/search") { request, _ in try await self.searchAnswer(request) }
        api.get("categories/{name}") { request, context in
            try await self.cached(request) { try await self.category($0, name: try context.parameters.require("name")) }
        }
        api.get("authors/{name}") { request, context in
            try await self.cached(request) { try await self.author($0, name: try context.parameters.require("name")) }
        }
        api.get("papers/**", use: self.paperGet)
        api.post("papers/**", use: self.paperPost)
        api.get("me", use: self.me)
        api.post("submissions", use: self.submit)
        api.put("comments/{id}", use: self.editComment)
        api.delete("comments/{id}", use: self.deleteComment)
        api.post("comments/{id}/hide", use: self.hideComment)
        api.get("collections", use: self.collections)
        api.post("collections", use: self.createCollection)
        api.get("collections/{id}", use: self.collection)
        api.put("collections/{id}", use: self.updateCollection)
        api.delete("collections/{id}", use: self.deleteCollection)
        api.post("collections/{id}/papers", use: self.addPaper)
        api.delete("collections/{id}/papers/**", use: self.removePaper)
    }

    // MARK: Lists and papers

    /// `GET /api/daily_papers?date=|week=|month=&sort=publishedAt|trending&cat=&p=0&limit=50`: the
    /// papers of a period (the latest day by default).
    @Sendable func dailyPapers(_ request: Request) async throws -> [HFDailyPaper] {
        try RequestValues.checkParameters(request, allowed: ["date", "week", "month", "sort", "cat", "p", "limit"])
        let limit = try RequestValues.integer(request, "limit", default: 50, in: 1...1_000)
        let page = try RequestValues.integer(request, "p", default: 0, in: 0...100_000)
        let asked = try ListRequest.of(request)
        let latest = asked.period == nil ? try await self.site.lists.latestDay() : nil
        guard let period = asked.period ?? latest.map(Period.day) else {
            return []
        }
        let listing = try await self.site.lists.papers(
            in: period, category: asked.category, sort: asked.sort,
            page: PageRequest(offset: page * limit, limit: limit))
        return listing.cards.map(HFDailyPaper.init)
    }

    /// `GET /api/trending?cat=&p=0&limit=50`: papers with upvotes by trending score.
    @Sendable func trending(_ request: Request) async throws -> [HFDailyPaper] {
        try RequestValues.checkParameters(request, allowed: ["cat", "p", "limit"])
        let limit = try RequestValues.integer(request, "limit", default: 50, in: 1...1_000)
        let page = try RequestValues.integer(request, "p", default: 0, in: 0...100_000)
        let listing = try await self.site.lists.trending(
            category: try ListRequest.category(request, "cat"), page: PageRequest(offset: page * limit, limit: limit))
        return listing.cards.map(HFDailyPaper.init)
    }

    /// `GET /api/categories/{name}?sort=&p=0&limit=50`: a category's papers, newest first.
    func category(_ request: Request, name: String) async throws -> [HFDailyPaper] {
        try RequestValues.checkParameters(request, allowed: ["sort", "p", "limit"])
        let category = try ListRequest.checkedCategory(name.removingPercentEncoding ?? name, source: "category")
        let limit = try RequestValues.integer(request, "limit", default: 50, in: 1...1_000)
        let page = try RequestValues.integer(request, "p", default: 0, in: 0...100_000)
        let listing = try await self.site.lists.papers(
            inCategory: category, sort: try ListRequest.sort(request),
            page: PageRequest(offset: page * limit, limit: limit))
        return listing.cards.map(HFDailyPaper.init)
    }

    /// `GET /api/authors/{name}?p=0&limit=50`: papers with an author of that name, newest first.
    func author(_ request: Request, name: String) async throws -> [HFDailyPaper] {
        try RequestValues.checkParameters(request, allowed: ["p", "limit"])
        let author = name.removingPercentEncoding ?? name
        try ListController<Context>.checkAuthor(author)
        let limit = try RequestValues.integer(request, "limit", default: 50, in: 1...1_000)
        let page = try RequestValues.integer(request, "p", default: 0, in: 0...100_000)
        let papers = Array(try await self.site.search.papers(byAuthor: author).dropFirst(page * limit).prefix(limit))
        return try await self.site.catalog.cards(papers, viewer: nil).map(HFDailyPaper.init)
    }

    /// `GET /api/papers/search`, from the micro-cache unless the search was cut short by its
    /// time budget: then it says so in `X-Search-Partial: true`, and is not kept.
    private func searchAnswer(_ request: Request) async throws -> Response {
        let key = request.uri.path + "?" + (request.uri.query ?? "")
        if let fresh = self.site.apiCache.answer(for: key) { return Self.json(fresh) }
        let generation = self.site.apiCache.currentGeneration
        let (papers, isPartial) = try await self.search(request)
        let body = JSONWriter.dailyPapers(papers)
        guard !isPartial else {
            var response = Self.json(body)
            response.headers[.init("X-Search-Partial")!] = "true"
            return response
        }
        self.site.apiCache.store(body, for: key, computedAt: generation)
        return Self.json(body)
    }

    private static func json(_ body: ByteBuffer) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: body))
    }

    /// `GET /api/papers/search?q=…&limit=N&mode=keyword|semantic|hybrid&match=any|all`: the
    /// papers, and whether the search ran out of its time.
    func search(_ request: Request) async throws -> (papers: [HFDailyPaper], isPartial: Bool) {
        try RequestValues.checkParameters(request, allowed: ["q", "limit", "mode", "match"])
        guard let query = RequestValues.parameter(request, "q")?.trimmingWhitespace(), !query.isEmpty else {
            throw WebError.badRequest(code: "missing_query", "query parameter 'q' is required")
        }
        let limit = try RequestValues.integer(request, "limit", default: 20, in: 1...100)
        let (mode, match) = try SearchParameters.read(request)
        let found = try await self.site.searchPapers(query, limit: limit, mode: mode, match: match, highlight: false)
        let papers = try await self.site.catalog.cards(found.results.map(\.paper), viewer: nil).map(HFDailyPaper.init)
        return (papers, found.isPartial)
    }

    /// `GET /api/papers/{id}`, `GET /api/papers/{id}/comments` and `GET /api/papers/{id}/similar`.
    @Sendable func paperGet(_ request: Request, context: Context) async throws -> Response {
        let (id, action) = try Self.paperPath(context)
        try RequestValues.checkParameters(request, allowed: action == "similar" ? ["limit"] : [])
        let paper = try await self.storedPaper(id)
        switch action {
        case nil:
            let card = try await self.site.catalog.cards([paper], viewer: nil)[0]
            return try JSONResponse.encode(HFPaper(paper, upvotes: card.upvotes))
        case "similar":
            let limit = try RequestValues.integer(request, "limit", default: 10, in: 1...100)
            let found = try await self.site.search.similar(to: paper.id, limit: limit)
            let cards = try await self.site.catalog.cards(found.papers.map(\.paper), viewer: nil)
            return try JSONResponse.encode(
                zip(found.papers, cards).map { similar, card in
                    APISimilarPaper(
                        paper: HFPaper(card.paper, upvotes: card.upvotes), similarity: Double(similar.score),
                        by: found.by.rawValue)
                })
        case "comments":
            let member = try await self.caller(request, required: false)
            let threads = try await self.site.community.thread(of: paper.id, viewer: member)
            return try JSONResponse.encode(threads.map(APIComment.init))
        default:
            // Not a route for GET: the error middleware answers 405 or 404.
            throw HTTPError(.notFound)
        }
    }

    /// `POST /api/papers/{id}/upvote` and `POST /api/papers/{id}/comments`.
    @Sendable func paperPost(_ request: Request, context: Context) async throws -> Response {
        let (id, action) = try Self.paperPath(context)
        // A GET-only path: the error middleware answers 405 with the methods it takes.
        if action == "similar" { throw HTTPError(.notFound) }
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        guard action == "upvote" || action == "comments" else {
            throw WebError.notFound("nothing is at \(request.uri.path)")
        }
        let paper = try await self.storedPaper(id)
        if action == "upvote" {
            let toggled = try await self.site.catalog.toggleUpvote(paper.id, by: member.id)
            return try JSONResponse.encode(UpvoteAnswer(upvoted: toggled.upvoted, upvotes: toggled.count))
        }
        let body = try await Self.decode(CommentRequest.self, request)
        let comment = try await self.site.community.addComment(
            to: paper.id, by: member, body: body.body, replyingTo: body.parent)
        return try JSONResponse.encode(APIComment(comment, author: member.displayName), status: .created)
    }

    // MARK: Members and submissions

    /// `GET /api/me`: the token's member.
    @Sendable func me(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        return try JSONResponse.encode(APIMember(id: member.id, name: member.displayName, role: member.role.rawValue))
    }

    /// `POST /api/submissions` `{"paper": "2501.01234"}`: puts a paper on today's list.
    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(PaperRequest.self, request)
        let paper: Paper
        do {
            paper = try await self.site.community.submit(body.paper, by: member)
        } catch let error as ServiceError where error.code == .invalidInput {
            // Text that cannot be an arXiv id names no paper.
            throw WebError(.notFound, code: "invalid_id", "field 'paper': \(error.message)")
        }
        let card = try await self.site.catalog.cards([paper], viewer: member.id)[0]
        return try JSONResponse.encode(HFDailyPaper(card), status: .created)
    }

    // MARK: Comments

    @Sendable func editComment(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(CommentEditRequest.self, request)
        let comment = try await self.site.community.editComment(try Self.number(context), by: member, body: body.body)
        return try JSONResponse.encode(APIComment(comment, author: member.displayName))
    }

    @Sendable func deleteComment(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        _ = try await self.site.community.deleteComment(try Self.number(context), by: member)
        return Response(status: .noContent)
    }

    @Sendable func hideComment(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(HideRequest.self, request)
        let comment = try await self.site.community.setHidden(try Self.number(context), hidden: body.hidden, by: member)
        let author = try await self.site.accounts.displayName(of: comment.memberID)
        return try JSONResponse.encode(APIComment(comment, author: author))
    }

    // MARK: Collections

    @Sendable func collections(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        return try JSONResponse.encode(try await self.site.community.collections(of: member).map { APICollection($0) })
    }

    @Sendable func createCollection(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(CollectionRequest.self, request)
        let collection = try await self.site.community.createCollection(
            by: member, name: body.name, isPublic: body.public ?? true)
        return try JSONResponse.encode(APICollection(collection, papers: []), status: .created)
    }

    @Sendable func collection(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request, required: false)
        return try await self.collectionAnswer(try Self.number(context), viewer: member)
    }

    @Sendable func updateCollection(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(CollectionRequest.self, request)
        let id = try Self.number(context)
        let current = try await self.site.community.collection(id, viewer: member).collection
        try await self.site.community.updateCollection(
            id, by: member, name: body.name, isPublic: body.public ?? current.isPublic)
        return try await self.collectionAnswer(id, viewer: member)
    }

    @Sendable func deleteCollection(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        try await self.site.community.deleteCollection(try Self.number(context), by: member)
        return Response(status: .noContent)
    }

    @Sendable func addPaper(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let body = try await Self.decode(PaperRequest.self, request)
        let id = try Self.number(context)
        let paper = try Self.paperID(body.paper, source: "field 'paper'")
        try await self.site.community.addPaper(paper, toCollection: id, by: member)
        return try await self.collectionAnswer(id, viewer: member)
    }

    @Sendable func removePaper(_ request: Request, context: Context) async throws -> Response {
        try RequestValues.checkParameters(request, allowed: [])
        let member = try await self.caller(request)
        let id = try Self.number(context)
        let text = context.parameters.getCatchAll().joined(separator: "/")
        let paper = try Self.paperID(text.removingPercentEncoding ?? text, source: "the path")
        try await self.site.community.removePaper(paper, fromCollection: id, by: member)
        return try await self.collectionAnswer(id, viewer: member)
    }

    private func collectionAnswer(_ id: Int64, viewer: Member?) async throws -> Response {
        let (collection, papers) = try await self.site.community.collection(id, viewer: viewer)
        let cards = try await self.site.catalog.cards(papers, viewer: viewer?.id)
        return try JSONResponse.encode(
            APICollection(collection, papers: cards.map { HFPaper($0.paper, upvotes: $0.upvotes) }))
    }

    // MARK: Helpers

    /// Answers from the micro-cache when it has a fresh answer to the same request; keeps
    /// successful answers computed by `compute`.
    private func cached(
        _ request: Request, _ compute: @Sendable (Request) async throws -> [HFDailyPaper]
    ) async throws -> Response {
        let key = request.uri.path + "?" + (request.uri.query ?? "")
        let body: ByteBuffer
        if let fresh = self.site.apiCache.answer(for: key) {
            body = fresh
        } else {
            let generation = self.site.apiCache.currentGeneration
            body = JSONWriter.dailyPapers(try await compute(request))
            self.site.apiCache.store(body, for: key, computedAt: generation)
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: body))
    }

    private func storedPaper(_ id: PaperID) async throws -> Paper {
        guard let paper = try await self.site.catalog.paper(id: id) else {
            throw WebError.notFound("no paper with id \(id)")
        }
        return paper
    }

    /// The member whose API token the request carries; 401 when required and missing or unknown.
    private func caller(_ request: Request, required: Bool = true) async throws -> Member? {
        let header = request.headers[.authorization] ?? ""
        // The scheme is case-insensitive (RFC 9110 §11.1): "bearer", "BEARER" and "Bearer" alike.
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let token =
            parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]).trimmingWhitespace() : ""
        if !token.isEmpty, let member = try await self.site.accounts.member(apiToken: token) { return member }
        if !required && header.isEmpty { return nil }
        throw WebError(
            .unauthorized, code: "unauthorized",
            header.isEmpty
                ? "this needs an API token: send 'Authorization: Bearer TOKEN' (make one on your account page)"
                : "the API token is not valid (revoked, mistyped, or not a Bearer token)")
    }

    private func caller(_ request: Request) async throws -> Member {
        try await self.caller(request, required: true)!
    }

    /// The id in `/api/papers/{id}[/action]`; old-style ids hold a slash, so the action is only
    /// split off when it is a known one.
    static func paperPath(_ context: Context) throws -> (PaperID, String?) {
        var parts = context.parameters.getCatchAll().map(String.init)
        var action: String?
        if let last = parts.last, ["comments", "upvote", "similar"].contains(last), parts.count > 1 {
            action = last
            parts.removeLast()
        }
        let text = parts.joined(separator: "/")
        return (try Self.paperID(text.removingPercentEncoding ?? text, source: "the path"), action)
    }

    /// A paper id; one that cannot be an id names no paper, so it is a 404 that says why.
    static func paperID(_ text: String, source: String) throws -> PaperID {
        do {
            return try PaperID(parsing: text)
        } catch {
            throw WebError(.notFound, code: "invalid_id", "\(source): \(error.message)")
        }
    }

    static func number(_ context: Context) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let value = Int64(text), value > 0 else {
            throw WebError.badRequest(code: "invalid_id", "'\(text)' is not a positive whole number")
        }
        return value
    }

    /// The request's JSON body as `T`, or a 400 that says what is wrong with it.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await RequestValues.body(request)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw WebError.badRequest(code: "invalid_body", "the JSON body lacks the field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw WebError.badRequest(
                code: "invalid_body",
                "the JSON body's field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
            )
        } catch let DecodingError.valueNotFound(_, context) {
            throw WebError.badRequest(
                code: "invalid_body",
                "the JSON body's field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null")
        } catch {
            throw WebError.badRequest(code: "invalid_body", "the body is not a JSON object")
        }
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
