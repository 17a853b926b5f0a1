import Foundation
import Hummingbird
import PaperboyModel
import PaperboyServices

/// The community's forms: comments, collections and submissions. Every post checks its CSRF
/// token and needs a signed-in member; the rules (own comments, own collections, moderators)
/// are the community service's.
struct CommunityController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        router.post("/comments/{id}/edit", use: self.editComment)
        router.post("/comments/{id}/delete", use: self.deleteComment)
        router.post("/comments/{id}/hide", use: self.hideComment)
        router.get("/submit", use: self.submitForm)
        router.post("/submit", use: self.submit)
        router.get("/collections", use: self.collections)
        router.post("/collections", use: self.createCollection)
        router.post("/collections/add", use: self.addToCollection)
        router.get("/collections/{id}", use: self.collection)
        router.post("/collections/{id}/update", use: self.updateCollection)
        router.post("/collections/{id}/delete", use: self.deleteCollection)
        router.post("/collections/{id}/remove", use: self.removeFromCollection)
    }

    // MARK: Comments

    /// `POST /papers/{id}/comments` (routed by the page controller): body, optional parent.
    func addComment(_ request: Request, paperID: PaperID) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        let parent = try fields["parent"].flatMap { text -> Int64? in
            guard !text.isEmpty else { return nil }
            guard let id = Int64(text) else {
                throw WebError.badRequest(code: "invalid_form", "field 'parent' must be a comment number")
            }
            return id
        }
        let comment = try await self.site.community.addComment(
            to: paperID, by: member, body: fields["body"] ?? "", replyingTo: parent)
        return .redirect(to: PaperLinks.page(paperID) + "#comment-\(comment.id)", type: .found)
    }

    @Sendable func editComment(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        let comment = try await self.site.community.editComment(
            try Self.number(context, "id"), by: member, body: fields["body"] ?? "")
        return .redirect(to: PaperLinks.page(comment.paperID) + "#comment-\(comment.id)", type: .found)
    }

    @Sendable func deleteComment(_ request: Request, context: Context) async throws -> Response {
        let (member, _) = try await self.memberPost(request)
        let comment = try await self.site.community.deleteComment(try Self.number(context, "id"), by: member)
        return .redirect(to: PaperLinks.page(comment.paperID) + "#comments", type: .found)
    }

    @Sendable func hideComment(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        let comment = try await self.site.community.setHidden(
            try Self.number(context, "id"), hidden: fields["hidden"] != "0", by: member)
        return .redirect(to: PaperLinks.page(comment.paperID) + "#comment-\(comment.id)", type: .found)
    }

    // MARK: Submissions

    @Sendable func submitForm(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self.site)
        guard visitor.member != nil else { return .redirect(to: "/signin", type: .found) }
        return try self.page(
            "submit", SubmitPageView(csrf: visitor.csrf, canFetch: self.site.community.source != nil), visitor, request)
    }

    @Sendable func submit(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        do {
            let paper = try await self.site.community.submit(fields["paper"] ?? "", by: member)
            return .redirect(to: PaperLinks.page(paper.id), type: .found)
        } catch let error as ServiceError {
            error.log(to: context.logger)
            let visitor = try await Visitor.of(request, site: self.site)
            let view = SubmitPageView(
                csrf: visitor.csrf, paper: fields["paper"], error: error.message,
                canFetch: self.site.community.source != nil)
            return try self.page("submit", view, visitor, request, status: WebError.status(of: error))
        }
    }

    // MARK: Collections

    @Sendable func collections(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self.site)
        guard let member = visitor.member else { return .redirect(to: "/signin", type: .found) }
        let mine = try await self.site.community.collections(of: member).map(CollectionItemView.init)
        return try self.page(
            "collections", CollectionsPageView(csrf: visitor.csrf, collections: mine, empty: mine.isEmpty), visitor,
            request)
    }

    @Sendable func createCollection(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        do {
            let collection = try await self.site.community.createCollection(
                by: member, name: fields["name"] ?? "", isPublic: fields["public"] != nil)
            if let paper = fields["paper"], !paper.isEmpty {
                try await self.site.community.addPaper(
                    try Self.paperID(paper), toCollection: collection.id, by: member)
            }
            return .redirect(to: "/collections/\(collection.id)", type: .found)
        } catch let error as ServiceError {
            let visitor = try await Visitor.of(request, site: self.site)
            let mine = try await self.site.community.collections(of: member).map(CollectionItemView.init)
            let view = CollectionsPageView(
                csrf: visitor.csrf, collections: mine, empty: mine.isEmpty, error: error.message, name: fields["name"])
            return try self.page("collections", view, visitor, request, status: WebError.status(of: error))
        }
    }

    @Sendable func addToCollection(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        guard let id = fields["collection"].flatMap(Int64.init) else {
            throw WebError.badRequest(code: "invalid_form", "field 'collection' must be a collection number")
        }
        let paper = try Self.paperID(fields["paper"] ?? "")
        try await self.site.community.addPaper(paper, toCollection: id, by: member)
        return .redirect(to: "/collections/\(id)", type: .found)
    }

    @Sendable func collection(_ request: Request, context: Context) async throws -> Response {
        let raw = try context.parameters.require("id")
        let (name, feed) = Self.splitFormat(raw)
        guard let id = Int64(name) else { throw WebError.notFound("No collection \(raw) is here.") }
        let visitor = try await Visitor.of(request, site: self.site)
        let (collection, papers) = try await self.site.community.collection(id, viewer: visitor.member)
        if let feed {
            let base = self.site.baseURL(for: request)
            return try FeedWriter(
                title: "Paperboy · Collection: \(collection.name)", pageURL: base + "/collections/\(id)",
                feedURL: base + request.uri.path, baseURL: base, papers: papers
            ).response(feed)
        }
        let isOwner = visitor.member?.id == collection.ownerID
        let cards = try await self.site.catalog.cards(papers, viewer: visitor.member?.id)
        var items = PageController<Context>.decorate(papers.map { PaperItemView($0) }, cards: cards, for: visitor)
        for index in items.indices { items[index].removeAction = isOwner ? "/collections/\(id)/remove" : nil }
        let view = CollectionPageView(
            csrf: visitor.csrf, collection: CollectionItemView(collection), isOwner: isOwner, empty: papers.isEmpty,
            papers: items)
        return try self.page("collection", view, visitor, request)
    }

    @Sendable func updateCollection(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        let id = try Self.number(context, "id")
        try await self.site.community.updateCollection(
            id, by: member, name: fields["name"] ?? "", isPublic: fields["public"] != nil)
        return .redirect(to: "/collections/\(id)", type: .found)
    }

    @Sendable func deleteCollection(_ request: Request, context: Context) async throws -> Response {
        let (member, _) = try await self.memberPost(request)
        try await self.site.community.deleteCollection(try Self.number(context, "id"), by: member)
        return .redirect(to: "/collections", type: .found)
    }

    @Sendable func removeFromCollection(_ request: Request, context: Context) async throws -> Response {
        let (member, fields) = try await self.memberPost(request)
        let id = try Self.number(context, "id")
        try await self.site.community.removePaper(
            try Self.paperID(fields["paper"] ?? ""), fromCollection: id, by: member)
        return .redirect(to: "/collections/\(id)", type: .found)
    }

    // MARK: Helpers

    /// The signed-in member and the form's fields, after the CSRF check.
    private func memberPost(_ request: Request) async throws -> (Member, [String: String]) {
        let fields = try await Visitor.postedForm(request, site: self.site)
        let visitor = try await Visitor.of(request, site: self.site)
        return (try visitor.requireMember(), fields)
    }

    private func page(
        _ template: String, _ view: Any, _ visitor: Visitor, _ request: Request, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var response = Response.html(try self.site.render(template, view, csrf: visitor.csrf), status: status)
        visitor.apply(to: &response, request: request)
        return response
    }

    static func number(_ context: Context, _ name: String) throws -> Int64 {
        let text = try context.parameters.require(name)
        guard let value = Int64(text), value > 0 else { throw WebError.notFound("Nothing is numbered \(text) here.") }
        return value
    }

    static func paperID(_ text: String) throws -> PaperID {
        do {
            return try PaperID(parsing: text)
        } catch {
            throw WebError.badRequest(code: "invalid_id", "field 'paper': \(error.message)")
        }
    }

    /// `12.atom` → ("12", .atom).
    static func splitFormat(_ text: String) -> (String, FeedFormat?) {
        for format in FeedFormat.allCases where text.hasSuffix(format.suffix) {
            return (String(text.dropLast(format.suffix.count)), format)
        }
        return (text, nil)
    }
}
