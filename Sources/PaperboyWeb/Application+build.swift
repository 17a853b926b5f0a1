import Foundation
public import Hummingbird
import HummingbirdCore
public import Logging
import PaperboyServices
import PaperboyStore
public import ServiceLifecycle

/// Where and how the site listens.
public struct WebConfiguration: Sendable {
    /// The address to bind.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// Timeouts and connection caps.
    public var limits: ConnectionLimits

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, limits: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.limits = limits
    }
}

/// The router with every route and middleware; tests drive it without sockets.
public func buildRouter(site: Site) -> Router<SiteRequestContext> {
    // HEAD is answered on every GET route (the GET's status and headers, no body).
    let router = Router(context: SiteRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ClientMiddleware(site: site))
    router.add(middleware: RequestMetricsMiddleware(metrics: site.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(site: site))
    router.add(middleware: CacheInvalidationMiddleware(caches: [site.apiCache, site.pageCache]))
    router.get("/health") { _, _ -> Response in
        let body = HealthBody(
            status: "ok",
            backend: site.backend,
            node: site.node,
            papers: try await site.catalog.count(),
            indexed: site.index.documentCount,
            indexLag: try await site.indexLag(),
            index: site.index.isReady ? "ready" : "building",
            searchModes: site.search.semantic.liveModes.map(\.rawValue),
            vectors: site.search.semantic.vectorCount,
            semantic: site.search.semantic.status.description
        )
        return try JSONResponse.encode(body)
    }
    // Prometheus's text format, for scrapers on a trusted network (this machine by default)
    // talking to the node directly; anyone else is told there is no such page.
    router.get("/metrics") { _, _ -> Response in
        guard ClientIdentity.current.isTrustedPeer else {
            throw WebError(.notFound, code: "not_found", "no such page")
        }
        let metrics = site.metrics
        metrics.gauge(
            "index_lag", unit: "changes", help: "Store changes this node's search index has not applied.",
            Double(try await site.indexLag()))
        metrics.gauge("papers", help: "Papers stored.", Double(try await site.catalog.count()))
        for (state, count) in try await site.subscriptions.outboxCounts() {
            metrics.gauge(
                "outbox", unit: "digests", help: "Digests in the outbox, by state.", labels: [("state", state)],
                Double(count))
        }
        if let pool = site.connectionPoolUse?() {
            metrics.gauge(
                "database_connections", help: "The database pool's connections: in use, and at most.",
                labels: [("state", "in_use")], Double(pool.inUse))
            metrics.gauge(
                "database_connections", help: "The database pool's connections: in use, and at most.",
                labels: [("state", "max")], Double(pool.capacity))
        }
        for (status, count) in try await site.subscriptions.subscriptionCounts() {
            metrics.gauge(
                "subscriptions", help: "Digest subscriptions, by status.", labels: [("status", status)], Double(count))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
    let stylesheet = site.stylesheet
    router.get("/static/style.css") { _, _ -> Response in
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: stylesheet))
        )
    }
    let openAPI = site.openAPI
    router.get("/openapi.json") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: openAPI)))
    }
    ListController(site: site).addRoutes(to: router)
    PageController(site: site).addRoutes(to: router)
    AccountController(site: site).addRoutes(to: router)
    CommunityController(site: site).addRoutes(to: router)
    SubscriptionController(site: site).addRoutes(to: router)
    APIController(site: site).addRoutes(to: router)
    return router
}

/// The application: the router on an HTTP/1.1 server, with extra long-running services
/// (such as the index sync) started and stopped beside it.
public func buildApplication(
    site: Site,
    configuration: WebConfiguration,
    services: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(site: site),
        server: .guardedHTTP1(limits: configuration.limits, trustedProxies: site.trustedProxies),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "Paperboy",
            availableConnectionsDelegate: MaximumAvailableConnections(
                configuration.limits.maxConnections, logger: logger)
        ),
        services: services,
        logger: logger
    )
}

private struct HealthBody: Codable {
    var status: String
    /// Where the data lives: `sqlite` (or `memory` in tests).
    var backend: String
    /// Which node answered (`--node`, else the host's name).
    var node: String
    var papers: Int
    var indexed: Int
    /// Changes in the store the index has not applied yet.
    var indexLag: Int64
    var index: String
    /// The search modes live now (keyword, and semantic and hybrid once papers have vectors).
    var searchModes: [String]
    /// Papers with a vector.
    var vectors: Int
    /// Where search by meaning stands, in words.
    var semantic: String

    enum CodingKeys: String, CodingKey {
        case status, backend, node, papers, indexed, index
        case indexLag = "index_lag"
        case searchModes = "search_modes"
        case vectors, semantic
    }
}
