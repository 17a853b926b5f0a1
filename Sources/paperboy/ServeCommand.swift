import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PaperboyHarvester
import PaperboySQLite
import PaperboySearch
import PaperboySecurity
import PaperboyServices
import PaperboyStore
import PaperboyWeb
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
            "The site's public address for links in feeds and mails (default: PAPERBOY_BASE_URL, else the request's host).",
            valueName: "url"))
    var baseURL: String?

    func validate() throws {
        if !(0...65_535).contains(self.port) { throw ValidationError("--port must be 0–65535") }
        if self.syncInterval < 1 { throw ValidationError("--sync-interval must be at least 1") }
        if self.harvestEvery <= 0 { throw ValidationError("--harvest-every must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "paperboy")
        logger.logLevel = .info
        let store = try self.database.openStore()
        logger.info("database: \(store.path)")
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
        let site = try await Site(
            store: store, index: index, paperSource: source, secret: try self.secret(logger: logger),
            baseURL: self.baseURL ?? ProcessInfo.processInfo.environment["PAPERBOY_BASE_URL"])
        let sync = IndexSync(index: index, store: store, interval: .seconds(self.syncInterval), logger: logger)
        let app = buildApplication(
            site: site,
            configuration: WebConfiguration(host: self.host, port: self.port),
            services: [sync as any Service] + self.harvestServices(store: store, logger: logger),
            logger: logger
        )
        try await app.runService()
    }

    /// The background harvest, when asked for.
    private func harvestServices(store: SQLitePaperStore, logger: Logger) -> [any Service] {
        guard let set = self.harvestSet else { return [] }
        logger.info("harvesting \(set) from \(self.harvestEndpoint) every \(self.harvestEvery) h")
        let harvester = OAIHarvester(
            store: store, client: PoliteClient(fetcher: NetworkFetcher()),
            options: OAIHarvester.Options(endpoint: self.harvestEndpoint, set: set))
        return [
            ScheduledHarvest(
                harvester: harvester, interval: .seconds(Int(self.harvestEvery * 3600)), logger: logger)
        ]
    }

    /// The signing key: `PAPERBOY_SECRET`, else a random key kept beside the database (made on
    /// first use, readable by its owner only), so sessions' forms and signed links survive restarts.
    private func secret(logger: Logger) throws -> [UInt8] {
        if let text = ProcessInfo.processInfo.environment["PAPERBOY_SECRET"], !text.isEmpty {
            return SHA256.hash(Array(text.utf8))
        }
        let path = self.database.path + ".secret"
        if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 {
            return Array(existing)
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write the signing key to \(path); set PAPERBOY_SECRET instead") }
        logger.info("made a signing key at \(path)")
        return key
    }
}
