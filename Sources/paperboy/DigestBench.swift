import ArgumentParser
import Foundation
import Logging
import PaperboyMail
import PaperboyModel
import PaperboySQLite
import PaperboyServices
import PaperboyStore

/// `paperboy bench digest`: compose and send digests to an SMTP server, beside Python's smtplib
/// sending as many pre-rendered messages of the same size to the same server.
struct DigestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Compose and send N digests to an SMTP server; print digests/s and messages/s beside smtplib.",
        discussion: """
            A new SQLite file in a temporary folder gets the bundled demo papers and N active \
            subscribers over 200 domains (a third with a saved search, a fifth following an author, \
            a quarter weekly-sized at 20 papers). Composing into the outbox and sending are timed \
            apart and together. The server is --smtp-url or PAPERBOY_SMTP_URL (scripts/bench/digest.sh \
            starts aiosmtpd for it).
            """
    )

    @Option(help: "How many digests.")
    var count = 10_000

    @OptionGroup var mail: MailOptions

    @Option(help: "Mails a minute to any one recipient domain (0: no limit).")
    var perDomainPerMinute: Double = 300

    @Option(
        help: ArgumentHelp("The Python that runs scripts/bench/smtplib_anchor.py (none: no anchor).", valueName: "path")
    )
    var anchorPython: String?

    @Option(help: "The anchor script.")
    var anchorScript = "scripts/bench/smtplib_anchor.py"

    func validate() throws {
        if self.count < 1 { throw ValidationError("--count must be at least 1") }
        if self.mail.smtpURLValue == nil { throw ValidationError("set --smtp-url or PAPERBOY_SMTP_URL") }
    }

    func run() async throws {
        var logger = Logger(label: "paperboy.bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-digest-bench-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let store = try SQLitePaperStore(path: work.appendingPathComponent("bench.sqlite").path)
        _ = try await DemoCorpus.loadIfEmpty(into: store)
        let index = try PaperIndex(path: work.appendingPathComponent("index").path)
        _ = try await index.catchUp(with: store)
        guard let day = try await store.latestAnnouncementDay() else { throw ValidationError("no demo papers") }
        let authors = try await store.papers(announcedOn: day, page: PageRequest(offset: 0, limit: 50)).items
            .flatMap(\.authors).map(\.name)
        let searches = ["diffusion", "language models", "benchmark", "reinforcement learning", "\"graph neural\""]
        let now = Date()
        for n in 0..<self.count {
            var (subscription, _) = try await store.subscribe(
                email: try EmailAddress(parsing: "reader\(n)@lab\(n % 200).example.org"), memberID: nil,
                frequency: .daily, at: now)
            subscription.status = .active
            if n % 3 == 0 { subscription.searches = [searches[n % searches.count]] }
            if n % 5 == 0, !authors.isEmpty { subscription.authors = [authors[n % authors.count]] }
            if n % 4 == 0 { subscription.paperCount = 20 }
            try await store.updateSubscription(subscription)
        }
        var options = DigestSender.Options()
        options.perDomainPerMinute = self.perDomainPerMinute
        let services = MailServices(
            storage: store.storage, index: index, transport: try self.mail.transport(logger: logger),
            settings: try self.mail.settings(
                baseURL: "https://papers.example.org", key: Array(repeating: 7, count: 32)),
            senderOptions: options, logger: logger)
        // Composing alone (a dry run: the digests are composed, not written), then composing
        // into the outbox and sending together, as `digest run` does.
        let clock = ContinuousClock()
        var start = clock.now
        let dry = try await services.digests.enqueue(.daily, today: day, dryRun: true, now: now)
        let composeSeconds = (clock.now - start).seconds
        let size =
            try dry.digests.first.map {
                try services.sender.message(
                    for: OutboxMail(
                        id: 1, subscriptionID: 1, period: $0.period.key, recipient: $0.subscription.email,
                        subject: $0.subject, text: $0.text, html: $0.html, paperIDs: [], nextAttempt: now, created: now)
                ).rendered().utf8.count
            } ?? 0
        start = clock.now
        let (queued, sent) = try await services.digests.enqueueAndSend(
            .daily, today: day, sender: services.sender, now: now)
        let total = (clock.now - start).seconds
        guard sent.sent == queued.queued, queued.queued == self.count else {
            throw ValidationError("queued \(queued.queued) of \(self.count), sent \(sent)")
        }
        print(
            "\(self.count) digests of the demo day \(day), \(options.connections) SMTP connections, \(size) bytes each (first)"
        )
        print(
            "compose alone (dry run): \(String(format: "%.2f", composeSeconds)) s = \(Int(Double(self.count) / composeSeconds)) digests/s"
        )
        let ours = Double(self.count) / total
        print(
            "compose and send (overlapped): \(String(format: "%.2f", total)) s = \(Int(ours)) messages/s (target ≥ 200)"
        )
        guard let python = self.anchorPython,
            let configuration = try? SMTPConfiguration(url: self.mail.smtpURLValue ?? "")
        else { return }
        let anchor = try IngestBench.run(
            python,
            [self.anchorScript, configuration.host, String(configuration.port), String(self.count), String(size)])
        guard anchor.status == 0, let rate = Double(anchor.output.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            print("anchor failed (status \(anchor.status)): \(anchor.output)")
            return
        }
        print(
            "anchor, Python smtplib sending \(self.count) pre-rendered messages of that size: \(Int(rate)) messages/s")
        print("ratio (Paperboy compose and send ÷ smtplib send only): ×\(String(format: "%.2f", ours / rate))")
    }
}
