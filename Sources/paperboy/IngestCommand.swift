import ArgumentParser
import Foundation
import PaperboyHarvester
import PaperboyModel
import PaperboyParsers
import PaperboyServices
import PaperboyStore

/// `paperboy ingest`: read papers into the database from files or from arXiv.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read papers into the database from files or from arXiv.",
        discussion: """
            `paperboy ingest FILE…` reads files (the same as `paperboy ingest file FILE…`); \
            `paperboy ingest arxiv`, `arxiv-feed` and `arxiv-api` fetch from arXiv.
            """,
        subcommands: [IngestFilesCommand.self, IngestArxivCommand.self, IngestFeedCommand.self, IngestAPICommand.self],
        defaultSubcommand: IngestFilesCommand.self
    )
}

/// `paperboy ingest [file] FILE…`.
struct IngestFilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Read papers from files into the database.",
        discussion: """
            Formats, detected from the content, plain or gzip: paper JSON lines; the Kaggle arXiv \
            snapshot (arxiv-metadata-oai-snapshot.json); OAI-PMH ListRecords pages; arXiv API and \
            announcement feed (RSS/Atom) answers; Hugging Face daily-papers JSON; listing pages. \
            Running the same files again changes nothing. Each bad record is reported as \
            file:line: reason and skipped; the rest land.
            """,
        aliases: ["files"]
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The year of listing-page dates that give none (default: this year).")
    var year: Int?

    @Option(help: "Records per transaction (default: 5,000 for the Kaggle snapshot, 2,000 otherwise).")
    var batchSize: Int?

    @Argument(help: "The files to read.")
    var files: [String]

    func validate() throws {
        if let year, !(1900...9999).contains(year) { throw ValidationError("--year must be a four-digit year") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let database = try await self.database.open()
        let store = database.papers
        let options = Ingester.Options(listingYear: self.year ?? CalendarDay.today().year, batchSize: self.batchSize)
        let line = ProgressLine(noun: "records")
        let report = try await Ingester(store: store, options: options).ingest(self.files) { problem in
            line.message(problem.description)
        } progress: { report in
            line.update(report.records, fraction: report.fractionDone)
        }
        line.finish()
        let seconds = line.elapsed
        let rate = seconds > 0 ? Int(Double(report.records) / seconds) : 0
        print(
            "\(report.records) records from \(self.files.count) file(s) in \(String(format: "%.2f", seconds)) s (\(rate) records/s)"
        )
        print(report.summary)
        print("database: \(database.description)")
        if report.failedFiles > 0 { throw ExitCode(2) }
        if report.bad > 0 { throw ExitCode(1) }
    }
}

/// How the arXiv commands wait and retry.
struct PolitenessOptions: ParsableArguments {
    @Option(help: "Seconds between requests (arXiv asks for 3).")
    var delay = 3.0

    @Option(help: "Retries of one request before giving up.")
    var retries = 8

    @Option(help: "Seconds of the first backoff after a failure without Retry-After (doubled each time).")
    var backoff = 5.0

    @Option(help: "Seconds one request may take.")
    var timeout = 120.0

    func validate() throws {
        if self.delay < 0 || self.backoff < 0 { throw ValidationError("--delay and --backoff must not be negative") }
        if self.retries < 0 { throw ValidationError("--retries must not be negative") }
        if self.timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func client(line: ProgressLine) -> PoliteClient {
        PoliteClient(
            fetcher: NetworkFetcher(timeout: .milliseconds(Int(self.timeout * 1000))),
            policy: RetryPolicy(
                delay: .milliseconds(Int(self.delay * 1000)), maxRetries: self.retries,
                backoff: .milliseconds(Int(self.backoff * 1000))),
            onRetry: { url, attempt, reason in line.message("retry \(attempt) of \(url): \(reason)") }
        )
    }
}

/// `paperboy ingest arxiv`: an OAI-PMH harvest.
struct IngestArxivCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv",
        abstract: "Harvest arXiv's OAI-PMH interface into the database, resumably.",
        discussion: """
            Pages follow resumptionTokens, one request every --delay seconds; 503 and 429 answers \
            are retried after their Retry-After, other failures with backoff. Every page lands in \
            one transaction with a checkpoint: a harvest stopped at any moment resumes where it \
            stopped. Without --from, a harvest starts where the last finished one did (all of \
            the set the first time).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var politeness: PolitenessOptions

    @Option(help: "An OAI-PMH set: cs, math, physics:hep-th, cs:cs:LG…")
    var set: String?

    @Option(help: "Records changed on or after this day (YYYY-MM-DD).")
    var from: String?

    @Option(help: "Records changed on or before this day (YYYY-MM-DD).")
    var until: String?

    /// A `YYYY-MM-DD` option's day.
    private func day(_ text: String?, _ name: String) throws -> CalendarDay? {
        guard let text else { return nil }
        do {
            return try CalendarDay(parsing: text)
        } catch {
            throw ValidationError("--\(name): \(error.message)")
        }
    }

    @Option(help: "The OAI-PMH base URL.")
    var endpoint = OAIHarvester.Options().endpoint

    @Option(help: "arXivRaw (every version with its date) or arXiv.")
    var metadataPrefix = "arXivRaw"

    func validate() throws {
        if let from = try self.day(self.from, "from"), let until = try self.day(self.until, "until"), from > until {
            throw ValidationError("--from is after --until")
        }
        if !["arXivRaw", "arXiv"].contains(self.metadataPrefix) {
            throw ValidationError("--metadata-prefix must be arXivRaw or arXiv")
        }
    }

    func run() async throws {
        let database = try await self.database.open()
        let store = database.papers
        let line = ProgressLine(noun: "records")
        let options = OAIHarvester.Options(
            endpoint: self.endpoint, metadataPrefix: self.metadataPrefix, set: self.set,
            from: try self.day(self.from, "from"), until: try self.day(self.until, "until"))
        let harvester = OAIHarvester(store: store, client: self.politeness.client(line: line), options: options)
        let report: OAIHarvester.Report
        do {
            report = try await harvester.run { problem in
                line.message(problem.description)
            } progress: { report in
                let fraction = report.completeListSize.map { Double(report.records) / Double(max(1, $0)) }
                line.update(report.records, fraction: fraction, detail: "page \(report.pages)")
            }
        } catch let error as HarvestError {
            line.finish()
            throw ValidationError("harvest stopped: \(error.message)\nrun the same command again to resume")
        }
        line.finish()
        let summary = Ingester.Report.describe(report.summary, bad: report.bad)
        print(
            "\(report.records) records in \(report.pages) pages\(report.resumed ? " (resumed)" : "") in \(String(format: "%.1f", line.elapsed)) s"
        )
        print(summary)
        print("database: \(database.description)")
        if report.bad > 0 { throw ExitCode(1) }
    }
}

/// `paperboy ingest arxiv-feed cs.LG+cs.CV`.
struct IngestFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-feed",
        abstract: "Read today's arXiv announcement feed of some categories into the database."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var politeness: PolitenessOptions

    @Option(help: "The feed base URL; the categories are appended.")
    var endpoint = "https://rss.arxiv.org/rss/"

    @Argument(help: "Categories joined by +, e.g. cs.LG+cs.CV.")
    var categories: String

    func run() async throws {
        let store = try await self.database.open().papers
        let line = ProgressLine(noun: "entries")
        let fetcher = FeedFetcher(store: store, client: self.politeness.client(line: line), baseURL: self.endpoint)
        let report: FeedFetcher.Report
        do {
            report = try await fetcher.run(categories: self.categories) { line.message($0.description) }
        } catch let error as HarvestError {
            throw ValidationError(error.message)
        }
        let types = AnnounceType.allCases.map { "\($0.rawValue) \(report.types[$0] ?? 0)" }.joined(separator: ", ")
        print("feed of \(report.day ?? "unknown day"): \(types)")
        print(Ingester.Report.describe(report.summary, bad: report.bad))
        if report.bad > 0 { throw ExitCode(1) }
    }
}

/// `paperboy ingest arxiv-api --query '…'`.
struct IngestAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-api",
        abstract: "Run a query against the arXiv API and store the papers it finds."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var politeness: PolitenessOptions

    @Option(help: "The query in arXiv's syntax, e.g. 'cat:cs.LG AND ti:diffusion'.")
    var query: String

    @Option(help: "How many results to fetch at most.")
    var limit = 100

    @Option(help: "Results per request.")
    var pageSize = 100

    @Option(help: "The API's query URL.")
    var endpoint = "https://export.arxiv.org/api/query"

    func validate() throws {
        if self.query.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--query is empty") }
        if self.limit < 1 || self.pageSize < 1 { throw ValidationError("--limit and --page-size must be positive") }
    }

    func run() async throws {
        let store = try await self.database.open().papers
        let line = ProgressLine(noun: "papers")
        let fetcher = ArxivAPIFetcher(store: store, client: self.politeness.client(line: line), endpoint: self.endpoint)
        let report: ArxivAPIFetcher.Report
        do {
            report = try await fetcher.run(query: self.query, limit: self.limit, pageSize: self.pageSize) {
                line.message($0.description)
            } progress: { report in
                let done = report.summary.added + report.summary.updated + report.summary.unchanged
                line.update(
                    done, fraction: report.totalResults.map { Double(done) / Double(max(1, min($0, self.limit))) })
            }
        } catch let error as HarvestError {
            line.finish()
            throw ValidationError(error.message)
        }
        line.finish()
        print("\(report.pages) pages of \(report.totalResults.map(String.init) ?? "?") results")
        print(Ingester.Report.describe(report.summary, bad: report.bad))
        if report.bad > 0 { throw ExitCode(1) }
    }
}
