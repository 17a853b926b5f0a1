import Foundation
import Hummingbird
import Logging
import Mustache
import NIOCore
public import PaperboySecurity
public import PaperboyServices
public import PaperboyStore

/// Everything the web layer needs to answer requests: the services, the search, the templates.
/// Controllers see these services, never the stores behind them.
public struct Site: Sendable {
    /// The backend's name (`sqlite`, `memory`), for `/health`.
    public let backend: String
    /// The backend's pool use, for `/metrics`, when it has a pool.
    let connectionPoolUse: (@Sendable () -> (inUse: Int, capacity: Int))?
    /// This node's name, for `/health` and logs when several serve one site.
    public let node: String
    /// What `/metrics` reports.
    public let metrics: SiteMetrics
    /// Papers, their cards and upvotes.
    public let catalog: PaperCatalog
    /// The search index.
    public let index: PaperIndex
    /// Paper search over ``index`` and ``store``.
    public let search: PaperSearch
    /// Accounts and sessions.
    public let accounts: AccountService
    /// Comments, collections and submissions.
    public let community: CommunityService
    /// The lists: periods, trending, categories.
    public let lists: PaperLists
    /// E-mail digest subscriptions, and the mail the site sends (confirmations, password resets).
    public let subscriptions: SubscriptionService
    /// The site's public address (`https://papers.example.org`), for feeds and mails; `nil` uses
    /// the host each request asked for when a trusted proxy (or this machine) sent it, else
    /// ``fallbackBaseURL``.
    public let baseURL: String?
    /// The address links use when there is no ``baseURL`` and the request's `Host` cannot be
    /// believed (the address the server listens on).
    public let fallbackBaseURL: String
    /// The proxies whose `X-Forwarded-For`, `X-Forwarded-Proto` and `Host` are believed.
    public let trustedProxies: [IPNetwork]
    /// The key that signs CSRF tokens (and later links in mails).
    let secret: [UInt8]
    /// The page templates.
    let templates: MustacheLibrary
    /// The stylesheet, served from memory.
    let stylesheet: String
    /// The OpenAPI document of the JSON API.
    let openAPI: String
    /// Its paths and methods.
    let apiRoutes: APIRouteTable
    /// Recent answers of the open API's lists.
    let apiCache = ResponseCache()
    /// Recent list pages as anonymous visitors see them, with ``tokenPlaceholder`` for the token:
    /// at most 200 (a page is up to ~120 KB), so that a crawl of distinct addresses holds ~24 MB.
    let pageCache = ResponseCache(capacity: 200)
    /// Where a cached page's CSRF token goes: random per process and never served (each answer
    /// has it replaced by its visitor's token), so no page text can contain it.
    static let tokenPlaceholder = "pb-token-" + SecureToken.random()

    /// Creates a site over a backend's storage and the search index, loading the bundled
    /// templates.
    ///
    /// - Parameters:
    ///   - storage: every store, from one backend.
    ///   - paperSource: where submitted papers unknown to the store are fetched from.
    ///   - secret: the signing key (default: a random one, so forms rendered before a restart
    ///     must be reloaded).
    ///   - bcryptCost: bcrypt's cost for new passwords (tests lower it).
    ///   - mailTransport: where mail goes (default: the log).
    ///   - mailBaseURL: the public address links in mails use (default: ``baseURL``, else
    ///     `http://localhost:8080`).
    ///   - postsPerMinute: how many comments, edits, submissions and new collections a member may
    ///     make a minute (twice as many at once); `nil` or 0 for no limit.
    ///   - trustedProxies: whose forwarding headers to believe (default: loopback).
    ///   - semantic: search by meaning, once the model and vectors are live (default: keyword only).
    ///   - node: this node's name (default: the host's name).
    ///   - metrics: where requests and searches are counted (default: a registry of its own).
    public init(
        storage: Storage, index: PaperIndex, paperSource: (any PaperSource)? = nil,
        secret: [UInt8]? = nil, bcryptCost: UInt8 = 12, baseURL: String? = nil,
        mailTransport: (any MailTransport)? = nil,
        mailBaseURL: String? = nil, postsPerMinute: Int? = 10, trustedProxies: [IPNetwork] = IPNetwork.loopback,
        semantic: SemanticState = SemanticState(), node: String? = nil, metrics: SiteMetrics = SiteMetrics()
    ) async throws {
        self.metrics = metrics
        self.node = node ?? ProcessInfo.processInfo.hostName
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let fallback = mailBaseURL ?? baseURL ?? "http://localhost:8080"
        self.fallbackBaseURL = fallback.hasSuffix("/") ? String(fallback.dropLast()) : fallback
        self.trustedProxies = trustedProxies
        self.backend = storage.backend
        self.connectionPoolUse = storage.connectionPoolUse
        self.index = index
        var generator = SystemRandomNumberGenerator()
        self.secret = secret ?? (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let transport = mailTransport ?? LogTransport(logger: Logger(label: "paperboy.mail"))
        let settings = try MailSettings(baseURL: self.fallbackBaseURL, key: self.secret)
        self.accounts = AccountService(
            store: storage.members, rateLimits: storage.rateLimits, cost: bcryptCost, transport: transport,
            settings: settings)
        self.search = PaperSearch(index: index, store: storage.papers, semantic: semantic)
        self.community = CommunityService(
            community: storage.community, papers: storage.papers, members: storage.members, source: paperSource,
            rateLimits: storage.rateLimits, postsPerMinute: postsPerMinute)
        self.catalog = PaperCatalog(papers: storage.papers, votes: storage.votes, lists: storage.lists)
        self.lists = PaperLists(store: storage.lists)
        self.subscriptions = SubscriptionService(
            store: storage.subscriptions, rateLimits: storage.rateLimits, transport: transport, settings: settings,
            checkQuery: index.queryCheck)
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil),
            let stylesheet = Bundle.module.url(forResource: "static/style", withExtension: "css")
        else {
            throw WebError(.internalServerError, code: "missing_resources", "the bundled templates are missing")
        }
        self.templates = try await MustacheLibrary(directory: templates.path)
        self.stylesheet = try String(contentsOf: stylesheet, encoding: .utf8)
        guard let openAPI = Bundle.module.url(forResource: "api/openapi", withExtension: "json") else {
            throw WebError(.internalServerError, code: "missing_resources", "the bundled OpenAPI document is missing")
        }
        self.openAPI = try String(contentsOf: openAPI, encoding: .utf8)
        self.apiRoutes = try APIRouteTable(openAPI: self.openAPI)
    }

    /// The signing key, for tests that make signed links themselves.
    public var testSecret: [UInt8] { self.secret }

    /// Empties the caches of lists, pages and API answers: another node (or process) wrote to the
    /// shared database, and nothing cached may show counts from before it.
    public func storeChanged() {
        self.apiCache.invalidate()
        self.pageCache.invalidate()
    }

    /// The absolute base URL for links in feeds: ``baseURL``; else the scheme and host the
    /// client asked for, when a trusted proxy (or this machine) sent the request; else
    /// ``fallbackBaseURL``. An untrusted `Host` header never makes a link.
    func baseURL(for request: Request) -> String {
        if let baseURL { return baseURL }
        let client = ClientIdentity.current
        guard let host = client.trustedHost else { return self.fallbackBaseURL }
        return (client.isHTTPS ? "https://" : "http://") + host
    }

    /// Renders a template with a view; `csrf` goes into the layout's subscribe box, which is left
    /// out when there is none (error pages).
    func render(_ template: String, _ view: Any, csrf: String = "") throws -> String {
        guard let html = self.templates.render(view, withTemplate: template) else {
            throw WebError(.internalServerError, code: "missing_template", "no template named \(template)")
        }
        return Self.fillSubscribeBox(html, csrf: csrf)
    }

    /// A page for `request`: rendered with the visitor's CSRF token, its cookie set when new.
    func page(
        _ template: String, _ view: Any, request: Request, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self)
        var view = view
        if var form = view as? any PageWithForms {
            form.csrf = visitor.csrf
            view = form
        }
        var response = Response.html(try self.render(template, view, csrf: visitor.csrf), status: status)
        visitor.apply(to: &response, request: request)
        return response
    }

    static let csrfMarker = "__PAPERBOY_CSRF__"

    /// The store's changes this node's search index has not applied yet. The index's sequence
    /// is read before the store's: a change landing between the two reads shows as lag, never as
    /// the index being ahead.
    func indexLag() async throws -> Int64 {
        let indexed = self.index.caughtUpSequence
        return max(0, try await self.catalog.latestSequence() - indexed)
    }

    /// ``PaperSearch/search(_:limit:offset:mode:match:highlight:budget:)``, its latency counted
    /// in ``metrics`` by the mode that ran.
    func searchPapers(
        _ text: String, limit: Int, offset: Int = 0, mode: SearchMode?, match: SearchMatch, highlight: Bool = true
    ) async throws -> PaperSearch.Results {
        let start = ContinuousClock.now
        let found = try await self.search.search(
            text, limit: limit, offset: offset, mode: mode, match: match, highlight: highlight)
        self.metrics.search(mode: found.mode.rawValue, duration: ContinuousClock.now - start)
        return found
    }

    /// `page` with every ``tokenPlaceholder`` replaced by `csrf`.
    static func replacingPlaceholder(in page: ByteBuffer, with csrf: String) -> ByteBuffer {
        let bytes = page.readableBytesView
        let placeholder = Array(Self.tokenPlaceholder.utf8)
        var out = ByteBuffer()
        out.reserveCapacity(bytes.count + 1_024)
        var from = bytes.startIndex
        var at = bytes.startIndex
        let last = bytes.endIndex - placeholder.count
        while at <= last {
            if bytes[at] == placeholder[0], bytes[at..<at + placeholder.count].elementsEqual(placeholder) {
                out.writeBytes(bytes[from..<at])
                out.writeString(csrf)
                at += placeholder.count
                from = at
            } else {
                at += 1
            }
        }
        out.writeBytes(bytes[from...])
        return out
    }

    /// Puts the CSRF token into the layout's subscribe box, or takes the box out when there is
    /// none. Only the box's own markup is touched: the marker text anywhere else (a comment, a
    /// name, a query, all escaped) stays as written, so no one can make a page show its viewer's
    /// token. Works on the UTF-8 bytes: Foundation's string search was a fifth of a list page's cost.
    static func fillSubscribeBox(_ html: String, csrf: String) -> String {
        let bytes = Array(html.utf8)
        // The layout writes the box before any content; page text is escaped, so it cannot
        // contain the raw `<!--` of these comments.
        guard let start = HTML.firstRange(of: "<!--subscribe-->", in: bytes),
            let end = HTML.firstRange(of: "<!--/subscribe-->", in: bytes, from: start.upperBound)
        else { return html }
        guard !csrf.isEmpty else {
            return String(decoding: bytes[..<start.lowerBound] + bytes[end.upperBound...], as: UTF8.self)
        }
        // Every marker between the box's own comments, and none elsewhere.
        let marker = Array(Self.csrfMarker.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var from = 0
        while let found = HTML.firstRange(of: marker, in: bytes, from: max(from, start.upperBound)),
            found.upperBound <= end.lowerBound
        {
            out.append(contentsOf: bytes[from..<found.lowerBound])
            out.append(contentsOf: csrf.utf8)
            from = found.upperBound
        }
        out.append(contentsOf: bytes[from...])
        return String(decoding: out, as: UTF8.self)
    }
}
