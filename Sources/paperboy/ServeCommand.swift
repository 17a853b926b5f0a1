import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import PaperboyHarvester
import PaperboySQLite
import PaperboySearch
import PaperboySecurity
import PaperboyServices
import PaperboyStore
import PaperboyWeb
import Prometheus
import ServiceLifecycle

/// `paperboy serve`: run the web site.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web site.",
        discussion: """
            With no flags the site runs on ./paperboy.sqlite; an empty database is first filled with \
            the bundled demo papers (five days of a daily-papers list).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(help: "Do not load the demo papers into an empty database.")
    var noDemo = false

    @OptionGroup var index: IndexOptions

    @Option(help: "Seconds between checks for papers ingested by other processes.")
    var syncInterval = 2

    @Option(
        help: ArgumentHelp(
            "Harvest arXiv's OAI-PMH set (cs, cs:cs:LG…) in the background, incrementally (default: off).",
            valueName: "set"))
    var harvestSet: String?

    @Option(help: "Hours between background harvests.")
    var harvestEvery = 6.0

    @Option(help: "The OAI-PMH base URL of background harvests.")
    var harvestEndpoint = OAIHarvester.Options().endpoint

    @Option(help: "The arXiv API that submitted papers unknown here are fetched from.")
    var arxivAPIEndpoint = "https://export.arxiv.org/api/query"

    @Flag(help: "Never fetch submitted papers from arXiv (only papers already stored can be submitted).")
    var noFetch = false

    @Option(
        help: ArgumentHelp(
            "How many comments, edits, submissions and new collections a member may make a minute (twice as many at once; 0: no limit; moderators are not limited).",
            valueName: "n"))
    var postsPerMinute = 10

    @Option(
        help: ArgumentHelp(
            "The site's public address for links in feeds and mails (default: PAPERBOY_BASE_URL, else the request's host).",
            valueName: "url"))
    var baseURL: String?

    @Option(
        name: .customLong("trusted-proxy"), parsing: .singleValue,
        help: ArgumentHelp(
            "A proxy (CIDR, e.g. 10.0.0.0/8) whose X-Forwarded-For, X-Forwarded-Proto and Host are believed; repeat for more (default: loopback, 127.0.0.0/8 and ::1).",
            valueName: "cidr"))
    var trustedProxies: [String] = []

    @Option(help: ArgumentHelp("Seconds a connection may wait for its next request.", valueName: "s"))
    var idleTimeout = 60.0

    @Option(help: ArgumentHelp("Seconds a request head may take to arrive.", valueName: "s"))
    var headerTimeout = 60.0

    @Option(
        help: ArgumentHelp(
            "Seconds a request body may pause between two reads; past that long it must also come at 500 bytes a second or more.",
            valueName: "s"))
    var bodyTimeout = 60.0

    @Option(help: ArgumentHelp("Seconds a client may leave a response unread.", valueName: "s"))
    var sendTimeout = 60.0

    @Option(
        help: ArgumentHelp(
            "Connections one client (an IPv4 address, an IPv6 /64) may hold open (0: any).", valueName: "n"))
    var maxConnectionsPerClient = 100

    @Option(help: ArgumentHelp("Connections a trusted proxy may hold open (0: any).", valueName: "n"))
    var maxConnectionsPerProxy = 1_000

    @Option(help: ArgumentHelp("Connections the server holds open in all; more wait in the backlog.", valueName: "n"))
    var maxConnections = 4_096

    @OptionGroup var semantic: SemanticOptions

    @Option(
        help: ArgumentHelp(
            "This node's name in /health and logs (default: $PAPERBOY_NODE, else the host's name).", valueName: "name"))
    var node: String?

    @Option(help: "How log lines are written: text, or json (one object per line, for log collectors).")
    var logFormat: LogFormat = .text

    @Flag(
        help: "Never fetch the embedding model: without it in the models folder, search is keyword only.")
    var noModelFetch = false

    @OptionGroup var mail: MailOptions

    @Option(help: ArgumentHelp("The local time digests go out each day (with an SMTP server set).", valueName: "HH:MM"))
    var digestTime = "07:00"

    @Option(help: ArgumentHelp("The time zone of --digest-time and of \"today\".", valueName: "zone"))
    var digestTimeZone = "UTC"

    @Option(help: ArgumentHelp("The weekday weekly digests go out.", valueName: "day"))
    var digestWeekday = "monday"

    @Flag(help: "Do not send digests from this server (another node or a cron job sends them).")
    var noDigests = false

    func validate() throws {
        if !(0...65_535).contains(self.port) { throw ValidationError("--port must be 0–65535") }
        if self.syncInterval < 1 { throw ValidationError("--sync-interval must be at least 1") }
        if self.harvestEvery <= 0 { throw ValidationError("--harvest-every must be positive") }
        if self.postsPerMinute < 0 { throw ValidationError("--posts-per-minute must be 0 or more") }
        for proxy in self.trustedProxies where IPNetwork(proxy) == nil {
            throw ValidationError(
                "--trusted-proxy \(proxy): expected an address or a CIDR block like 10.0.0.0/8 or fd00::/8")
        }
        for (name, value) in [
            ("idle-timeout", self.idleTimeout), ("header-timeout", self.headerTimeout),
            ("body-timeout", self.bodyTimeout),
        ] where !(value > 0 && value <= 86_400) {
            throw ValidationError("--\(name) must be more than 0 and at most 86400 seconds")
        }
        if self.maxConnectionsPerClient < 0 { throw ValidationError("--max-connections-per-client must be 0 or more") }
        if self.maxConnectionsPerProxy < 0 { throw ValidationError("--max-connections-per-proxy must be 0 or more") }
        if self.maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        do {
            _ = try DigestScheduler.Schedule(
                time: self.digestTime, timeZone: self.digestTimeZone, weeklyOn: self.digestWeekday)
        } catch let error as ServiceError {
            throw ValidationError("--\(error.field ?? "digest-time"): \(error.message)")
        }
    }

    /// How log lines are written.
    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        let node = self.node ?? ProcessInfo.processInfo.environment["PAPERBOY_NODE"] ?? ProcessInfo.processInfo.hostName
        if self.logFormat == .json {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, node: node) }
        }
        // One registry for /metrics: the site's own counts and whatever the libraries record
        // through swift-metrics.
        let metrics = SiteMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        var logger = Logger(label: "paperboy")
        logger.logLevel = .info
        Self.raiseDescriptorLimit(logger: logger)
        let database = try await self.database.open(logger: logger)
        let storage = database.storage
        let store = storage.papers
        logger.info("database: \(database.description) (\(storage.backend))")
        if !self.noDemo, let report = try await DemoCorpus.loadIfEmpty(into: store) {
            logger.info("the database was empty: loaded \(report.added) demo papers")
        }
        let index = try PaperIndex(path: self.index.path(for: self.database))
        logger.info("search index: \(index.directory.path)")
        // A member waits for a submission's fetch: few, short retries.
        let source: ArxivAPIFetcher? =
            self.noFetch
            ? nil
            : ArxivAPIFetcher(
                store: store,
                client: PoliteClient(
                    fetcher: NetworkFetcher(),
                    policy: RetryPolicy(delay: .seconds(3), maxRetries: 2, backoff: .seconds(2), maxWait: .seconds(10))),
                endpoint: self.arxivAPIEndpoint)
        let key = try await signingKey(database: self.database, opened: database, logger: logger)
        let listening = "http://\(self.host == "0.0.0.0" || self.host == "::" ? "127.0.0.1" : self.host):\(self.port)"
        let mailBaseURL = publicBaseURL(self.baseURL, fallback: listening)
        let transport = try self.mail.transport(logger: logger)
        let semantic = SemanticState(
            status: .off(reason: "the embedding model is loading"))
        let proxies =
            self.trustedProxies.isEmpty ? IPNetwork.loopback : self.trustedProxies.compactMap { IPNetwork($0) }
        logger.info("believing forwarding headers from \(proxies.map(\.description).joined(separator: ", "))")
        let site = try await Site(
            storage: storage, index: index, paperSource: source, secret: key,
            baseURL: self.baseURL ?? ProcessInfo.processInfo.environment["PAPERBOY_BASE_URL"],
            mailTransport: transport, mailBaseURL: mailBaseURL, postsPerMinute: self.postsPerMinute,
            trustedProxies: proxies, semantic: semantic, node: node, metrics: metrics)
        let mail = MailServices(
            storage: storage, index: index, transport: transport,
            settings: try self.mail.settings(baseURL: mailBaseURL, key: key), logger: logger)
        let indexWakeup = Wakeup()
        let sync = IndexSync(
            index: index, store: store, interval: .seconds(self.syncInterval), wakeup: indexWakeup, logger: logger
        ) { _ in
            // Search answers cached while the changes were on their way would hide them.
            site.storeChanged()
        }
        // Several nodes on one database: another node's writes wake this one's index follower
        // and empty its caches at once.
        let follower = storage.changeListener.map { listener in
            ChangeFollower(listener: listener, wakeups: [indexWakeup], logger: logger) { _ in site.storeChanged() }
        }
        // Keyword search at once; the model (fetched first when absent) and the vectors follow.
        let installer = ModelInstaller(root: ModelInstaller.defaultRoot())
        let semanticSync = SemanticSync(
            state: semantic, index: index, store: store, embeddings: storage.embeddings,
            modelFolder: self.semantic.folder,
            fetch: self.noModelFetch || self.semantic.model != nil ? nil : (installer, .miniLM),
            interval: .seconds(self.syncInterval), logger: logger)
        let app = buildApplication(
            site: site,
            configuration: WebConfiguration(
                host: self.host, port: self.port,
                limits: ConnectionLimits(
                    idleTimeout: .milliseconds(Int(self.idleTimeout * 1_000)),
                    headerTimeout: .milliseconds(Int(self.headerTimeout * 1_000)),
                    bodyTimeout: .milliseconds(Int(self.bodyTimeout * 1_000)),
                    sendTimeout: .milliseconds(Int(self.sendTimeout * 1_000)),
                    maxConnectionsPerClient: self.maxConnectionsPerClient,
                    maxConnectionsPerProxy: self.maxConnectionsPerProxy, maxConnections: self.maxConnections)),
            services: [sync as any Service, semanticSync] + (follower.map { [$0 as any Service] } ?? [])
                + self.harvestServices(store: store, exclusive: storage.exclusive, logger: logger)
                + (try self.digestServices(mail, logger: logger)),
            logger: logger
        )
        try await app.runService()
    }

    /// The digest scheduler, when an SMTP server is set.
    private func digestServices(_ mail: MailServices, logger: Logger) throws -> [any Service] {
        guard self.mail.smtpURLValue != nil else {
            logger.info("digests: off (no SMTP server; set PAPERBOY_SMTP_URL); mails go to this log")
            return []
        }
        guard !self.noDigests else { return [] }
        let schedule = try DigestScheduler.Schedule(
            time: self.digestTime, timeZone: self.digestTimeZone, weeklyOn: self.digestWeekday)
        logger.info("digests: daily at \(self.digestTime) \(self.digestTimeZone), weekly on \(self.digestWeekday)")
        return [DigestScheduler(digests: mail.digests, sender: mail.sender, schedule: schedule, logger: logger)]
    }

    /// The background harvest, when asked for.
    private func harvestServices(
        store: any PaperStore, exclusive: (any ExclusiveRunner)?, logger: Logger
    ) -> [any Service] {
        guard let set = self.harvestSet else { return [] }
        logger.info("harvesting \(set) from \(self.harvestEndpoint) every \(self.harvestEvery) h")
        let harvester = OAIHarvester(
            store: store, client: PoliteClient(fetcher: NetworkFetcher()),
            options: OAIHarvester.Options(endpoint: self.harvestEndpoint, set: set))
        return [
            ScheduledHarvest(
                harvester: harvester, interval: .seconds(Int(self.harvestEvery * 3600)), exclusive: exclusive,
                logger: logger)
        ]
    }

    /// Raises the soft limit on open files to the hard limit, so that many slow clients run into
    /// the connection caps, not into the descriptor table.
    static func raiseDescriptorLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        let wanted = limit.rlim_max
        limit.rlim_cur = wanted
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            logger.info("open files: up to \(wanted)")
        }
    }
}
