import Foundation
import Hummingbird
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// The HTML pages: the daily list, a paper, search results.
struct PageController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        router.get("/papers/**", use: self.paper)
        router.get("/search", use: self.search)
        router.get("/search.atom") { request, context in try await self.searchFeed(request, context: context, .atom) }
        router.get("/search.json") { request, context in try await self.searchFeed(request, context: context, .json) }
        router.post("/papers/**", use: self.upvote)
    }

    /// Fills in each item's card (upvotes, comments, submitter, the visitor's own upvote) and the
    /// form token; `cards` are the items' own, in their order.
    static func decorate(_ items: [PaperItemView], cards: [PaperCard], for visitor: Visitor) -> [PaperItemView] {
        zip(items, cards).map { item, card in
            var item = item
            item.show(card)
            item.csrf = visitor.csrf
            return item
        }
    }

    /// `POST /papers/{id}/upvote`: toggles the signed-in member's upvote, then goes back.
    @Sendable func upvote(_ request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path.hasSuffix("/comments") {
            let raw = String(path.dropFirst("/papers/".count).dropLast("/comments".count))
            return try await CommunityController<Context>(site: self.site).addComment(
                request, paperID: try PaperID(parsing: raw.removingPercentEncoding ?? raw))
        }
        guard path.hasSuffix("/upvote") else { throw WebError.notFound("Nothing is here: \(path)") }
        let raw = String(path.dropFirst("/papers/".count).dropLast("/upvote".count))
        let id = try PaperID(parsing: raw.removingPercentEncoding ?? raw)
        let body = try await RequestValues.body(request)
        let fields = try? URLEncodedFormDecoder().decode(UpvoteFields.self, from: String(buffer: body))
        try Visitor.checkCSRF(fields?.csrf, request: request, site: self.site)
        let visitor = try await Visitor.of(request, site: self.site)
        guard let member = visitor.member else { return Response.redirect(to: "/signin", type: .found) }
        _ = try await self.site.catalog.toggleUpvote(id, by: member.id)
        return Response.redirect(to: RequestValues.returnPath(request, fallback: PaperLinks.page(id)), type: .found)
    }

    /// `/papers/{id}`: one paper.
    @Sendable func paper(_ request: Request, context: Context) async throws -> Response {
        let id = try RequestValues.paperID(context)
        let visitor = try await Visitor.of(request, site: self.site)
        let card = try await self.site.catalog.card(id: id, viewer: visitor.member?.id)
        let paper = card.paper
        var view = PaperPageView(paper)
        view.upvotes = card.upvotes
        view.upvoted = card.upvotedByViewer
        view.csrf = visitor.csrf
        view.sparklineSVG = SVGChart.sparkline(
            upvotes: try await self.site.catalog.upvoteDates(paperID: paper.id), today: .today())
        view.submittedBy = card.submitter
        view.submittedOn = card.submittedOn?.description
        let threads = try await self.site.community.thread(of: paper.id, viewer: visitor.member)
        view.comments = threads.map { CommentView($0, viewer: visitor.member) }
        view.commentCount = threads.reduce(0) {
            $0 + ($1.comment.isDeleted ? 0 : 1) + $1.replies.filter { !$0.comment.isDeleted }.count
        }
        let similar = try await self.site.search.similar(to: paper.id, limit: 10)
        view.similar = similar.papers.map {
            PaperPageView.SimilarView(
                url: PaperLinks.page($0.paper.id), title: $0.paper.title,
                similarity: similar.by == .vectors
                    ? String(format: "%.2f", $0.score) : String(format: "%.1f", $0.score),
                similarityTitle: similar.by == .vectors
                    ? "cosine similarity of the two papers' embeddings" : "BM25F score of this paper's words")
        }
        view.hasSimilar = !view.similar.isEmpty
        view.similarByWords = similar.by == .words
        view.signedIn = visitor.member != nil
        if let member = visitor.member {
            view.collections = try await self.site.community.collections(of: member).map(CollectionItemView.init)
            view.hasCollections = !view.collections.isEmpty
        }
        var response = Response.html(try self.site.render("paper", view, csrf: visitor.csrf))
        visitor.apply(to: &response, request: request)
        return response
    }

    /// `/search?q=…&page=N`: ranked results with highlighted snippets.
    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        let query = RequestValues.parameter(request, "q")?.trimmingWhitespace() ?? ""
        guard !query.isEmpty else {
            return try await self.site.page(
                "search", SearchPageView(query: nil, queryURL: "", totalLabel: "", empty: true, results: []),
                request: request)
        }
        let perPage = 20
        let page = try RequestValues.integer(request, "page", default: 1, in: 1...500)
        let (mode, match) = try SearchParameters.read(request)
        let found: PaperSearch.Results
        do {
            found = try await self.site.searchPapers(
                query, limit: perPage, offset: (page - 1) * perPage, mode: mode, match: match)
        } catch let error as ServiceError where error.code == .invalidQuery || error.code == .queryTooLarge {
            // A malformed query: the page again, with the query kept and what is wrong with it.
            let view = SearchPageView(
                query: query, error: error.message, queryURL: query.addingPercentEncodingForQuery(), totalLabel: "",
                empty: false, results: [],
                modes: self.modeLinks(query: query, current: mode ?? self.site.search.defaultMode))
            return try await self.site.page("search", view, request: request, status: .badRequest)
        }
        let visitor = try await Visitor.of(request, site: self.site)
        let total = found.totalHitsIsExact ? "\(found.totalHits)" : "more than \(found.totalHits)"
        let view = SearchPageView(
            query: query,
            indexing: self.site.index.isReady
                ? nil
                : "The search index is still being built (\(self.site.index.documentCount) papers so far); results are incomplete.",
            partial: found.isPartial
                ? "This search asks for a lot, so it was cut short: the results are the best of the papers reached in time. Fewer or rarer words give complete results."
                : nil,
            queryURL: query.addingPercentEncodingForQuery(),
            totalLabel: found.isPartial
                ? (found.totalHits == 0 ? "No papers found in time" : "At least \(found.totalHits) papers")
                : found.totalHits == 1 && found.totalHitsIsExact ? "1 paper" : "\(total) papers",
            // The notice of a search cut short says it all.
            empty: found.results.isEmpty && !found.isPartial,
            results: Self.decorate(
                found.results.map { PaperItemView($0) },
                cards: try await self.site.catalog.cards(found.results.map(\.paper), viewer: visitor.member?.id),
                for: visitor),
            previousPage: page > 1 ? page - 1 : nil,
            nextPage: page * perPage < found.totalHits || (!found.totalHitsIsExact && found.results.count == perPage)
                ? page + 1 : nil,
            modes: self.modeLinks(query: query, current: found.mode),
            modeNote: found.modeNote,
            pageSuffix: mode.map { "&amp;mode=\($0.rawValue)" } ?? ""
        )
        var response = Response.html(try self.site.render("search", view, csrf: visitor.csrf))
        visitor.apply(to: &response, request: request)
        return response
    }

    /// The switch between search modes: each a link to the same query in that mode, the current
    /// one marked, those not live yet shown but not linked.
    private func modeLinks(query: String, current: SearchMode) -> [SearchPageView.ModeLink] {
        let live = self.site.search.semantic.liveModes
        let labels: [(SearchMode, String)] = [(.hybrid, "Hybrid"), (.semantic, "Meaning"), (.keyword, "Words")]
        return labels.map { mode, label in
            SearchPageView.ModeLink(
                label: label, mode: mode.rawValue,
                url: "/search?q=\(query.addingPercentEncodingForQuery())&amp;mode=\(mode.rawValue)",
                current: mode == current, available: live.contains(mode))
        }
    }

    /// `/search.atom?q=` and `/search.json?q=`: the best 50 results as a feed.
    func searchFeed(_ request: Request, context: Context, _ format: FeedFormat) async throws -> Response {
        guard let query = RequestValues.parameter(request, "q")?.trimmingWhitespace(), !query.isEmpty else {
            throw WebError.badRequest(code: "missing_query", "query parameter 'q' is required")
        }
        let (mode, match) = try SearchParameters.read(request)
        let found = try await self.site.searchPapers(query, limit: 50, mode: mode, match: match)
        let base = self.site.baseURL(for: request)
        let writer = FeedWriter(
            title: "Paperboy · Search: \(query)", pageURL: base + "/search?q=" + query.addingPercentEncodingForQuery(),
            feedURL: base + request.uri.path + "?" + (request.uri.query ?? ""), baseURL: base,
            papers: found.results.map(\.paper))
        return try writer.response(format)
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

/// The upvote button's form.
private struct UpvoteFields: Decodable {
    var csrf: String?
}
