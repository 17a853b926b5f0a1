public import ArgumentParser
import Foundation
import Logging
import PaperboyMail
public import PaperboyModel
import PaperboySQLite
import PaperboyServices
import PaperboyStore

/// `paperboy digest …`: queue and send digests, preview one, add subscribers, see the outbox.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "E-mail digests: run, send, preview, subscribe, status.",
        subcommands: [
            DigestRunCommand.self, DigestSendCommand.self, DigestPreviewCommand.self, DigestSubscribeCommand.self,
            DigestStatusCommand.self, DigestTestCommand.self,
        ]
    )
}

extension Subscription.Frequency: ExpressibleByArgument {}

/// What the digest commands share: the database, index, mail settings and "today".
struct DigestOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var index: IndexOptions
    @OptionGroup var mail: MailOptions

    @Option(
        help: ArgumentHelp(
            "The site's public address for links in mails (default: $PAPERBOY_BASE_URL, else http://127.0.0.1:8080).",
            valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("The day to run for, YYYY-MM-DD (default: today).", valueName: "day"))
    var date: String?

    @Option(help: ArgumentHelp("The time zone of \"today\" (default: UTC).", valueName: "zone"))
    var timeZone = "UTC"

    @Option(help: "Mails a minute to any one recipient domain (0: no limit).")
    var perDomainPerMinute: Double = 300

    func validate() throws {
        if let date, (try? CalendarDay(parsing: date)) == nil {
            throw ValidationError("--date: \"\(date)\" is not a day like 2026-11-20")
        }
        if TimeZone(identifier: self.timeZone) == nil {
            throw ValidationError("--time-zone: \"\(self.timeZone)\" is not a time zone like Europe/Berlin")
        }
        if self.perDomainPerMinute < 0 { throw ValidationError("--per-domain-per-minute must be 0 or more") }
    }

    var today: CalendarDay {
        if let date, let day = try? CalendarDay(parsing: date) { return day }
        return CalendarDay(Date(), in: TimeZone(identifier: self.timeZone) ?? TimeZone(secondsFromGMT: 0)!)
    }

    /// Opens the store and index (caught up) and builds the mail services.
    func open(logger: Logger) async throws -> (store: any SubscriptionStore, services: MailServices) {
        let database = try await self.database.open()
        let index = try PaperIndex(path: self.index.path(for: self.database))
        _ = try await index.catchUp(with: database.papers)
        let settings = try self.mail.settings(
            baseURL: publicBaseURL(self.baseURL, fallback: "http://127.0.0.1:8080"),
            key: try await signingKey(database: self.database, opened: database, logger: logger))
        var options = DigestSender.Options()
        options.perDomainPerMinute = self.perDomainPerMinute
        let services = MailServices(
            storage: database.storage, index: index, transport: try self.mail.transport(logger: logger),
            settings: settings,
            senderOptions: options, logger: logger)
        return (database.storage.subscriptions, services)
    }
}

/// Prints the outbox and subscription counts.
func printStatus(_ store: any SubscriptionStore) async throws {
    let outbox = try await store.outboxCounts()
    let subscriptions = try await store.subscriptionCounts()
    print(
        "outbox: "
            + OutboxMail.Status.allCases.map { "\(outbox[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
    if let queued = outbox[.queued], queued > 0 {
        print(
            "\(queued) queued: waiting for a retry, or leased by a sender that stopped (free again within 30 s); `paperboy digest send` or the server's scheduler sends them when due"
        )
    }
    print(
        "subscriptions: "
            + Subscription.Status.allCases.map { "\(subscriptions[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
}

/// `paperboy digest run`.
struct DigestRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compose the period's digests into the outbox, then send what is due.",
        discussion: """
            Daily digests cover the newest announcement day up to today; weekly ones the ISO week \
            before today's. Running again for the same period queues nothing new: each subscriber \
            gets one digest per period. Without PAPERBOY_SMTP_URL (or --smtp-url) only --dry-run works.
            """
    )

    @OptionGroup var options: DigestOptions

    @Option(help: "daily or weekly.")
    var period: Subscription.Frequency = .daily

    @Flag(help: "Compose and print who would get what; write and send nothing.")
    var dryRun = false

    @Flag(help: "Mail subscribers even when no paper is new for them.")
    var sendEmpty = false

    @Flag(help: "Queue only; leave sending to `digest send` or the server's scheduler.")
    var noSend = false

    func run() async throws {
        let logger = Logger(label: "paperboy.digest")
        if !self.dryRun, !self.noSend, self.options.mail.smtpURLValue == nil {
            throw ValidationError(
                "no SMTP server: set PAPERBOY_SMTP_URL (smtp://user:pass@host:port) or --smtp-url, or use --dry-run")
        }
        let (store, services) = try await self.options.open(logger: logger)
        let started = ContinuousClock.now
        let report: Digests.Report
        var sent: DigestSender.Report?
        if self.dryRun || self.noSend {
            report = try await services.digests.enqueue(
                self.period, today: self.options.today, dryRun: self.dryRun, sendEmpty: self.sendEmpty)
        } else {
            (report, sent) = try await services.digests.enqueueAndSend(
                self.period, today: self.options.today, sender: services.sender, sendEmpty: self.sendEmpty)
        }
        guard let period = report.period else {
            print("no announcement day yet: nothing to mail")
            return
        }
        let verb = self.dryRun ? "would queue" : "queued"
        print(
            "\(period.key): \(report.subscribers) active \(self.period.rawValue) subscribers; \(verb) \(report.queued), already queued \(report.alreadyQueued), nothing new for \(report.empty)"
        )
        if self.dryRun {
            for digest in report.digests {
                print("  \(digest.subscription.email): \(digest.subject)")
                for entry in digest.entries { print("    \(entry.paper.id)  \(entry.paper.title)  (\(entry.reason))") }
            }
            return
        }
        if let sent {
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            print("sent: \(sent) in \(String(format: "%.1f", seconds)) s")
        }
        try await printStatus(store)
    }
}

/// `paperboy digest send`.
struct DigestSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send the digests due in the outbox (retries included).")

    @OptionGroup var options: DigestOptions

    func run() async throws {
        guard self.options.mail.smtpURLValue != nil else {
            throw ValidationError("no SMTP server: set PAPERBOY_SMTP_URL or --smtp-url")
        }
        let (store, services) = try await self.options.open(logger: Logger(label: "paperboy.digest"))
        print("sent: \(try await services.sender.run())")
        try await printStatus(store)
    }
}

/// `paperboy digest preview`.
struct DigestPreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show the digest an address would get next, without writing or sending anything.")

    @OptionGroup var options: DigestOptions

    @Option(help: "The subscriber's address (an unknown one gets the default daily digest).")
    var email: String

    @Option(help: "daily or weekly (default: the subscription's).")
    var period: Subscription.Frequency?

    @Option(help: ArgumentHelp("Write the HTML part to this file.", valueName: "file"))
    var html: String?

    func run() async throws {
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: self.email)
        } catch {
            throw ValidationError("--email: \(error.message)")
        }
        let (_, services) = try await self.options.open(logger: Logger(label: "paperboy.digest"))
        guard
            let digest = try await services.digests.preview(
                email: address, frequency: self.period, today: self.options.today)
        else {
            print("no announcement day yet: nothing to preview")
            return
        }
        print("To: \(digest.subscription.email)\nSubject: \(digest.subject)\n\n\(digest.text)")
        if let html = self.html {
            try digest.html.write(toFile: html, atomically: true, encoding: .utf8)
            print("HTML written to \(html)")
        }
    }
}

/// `paperboy digest subscribe`.
struct DigestSubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Add subscribers by hand (a reading group's list): addresses as arguments or one per line in a file.",
        discussion: """
            Without --confirmed each new address gets a confirmation mail (double opt-in). With \
            --confirmed the addresses are active at once: only for lists whose owners agreed.
            """
    )

    @OptionGroup var options: DigestOptions

    @Argument(help: "Addresses.")
    var emails: [String] = []

    @Option(help: ArgumentHelp("A file with one address per line.", valueName: "file"))
    var file: String?

    @Option(help: "daily or weekly.")
    var frequency: Subscription.Frequency = .daily

    @Option(help: ArgumentHelp("Categories to keep, comma-separated (default: all).", valueName: "list"))
    var categories: String?

    @Option(help: "Papers per digest.")
    var papers = 10

    @Flag(help: "Make them active without a confirmation mail.")
    var confirmed = false

    func run() async throws {
        var lines: [(String, String)] = self.emails.enumerated().map { ("argument \($0.offset + 1)", $0.element) }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty && !trimmed.hasPrefix("#") { lines.append(("\(file):\(number + 1)", trimmed)) }
            }
        }
        guard Subscription.paperCounts.contains(self.papers) else { throw ValidationError("--papers must be 1–50") }
        let (store, services) = try await self.options.open(logger: Logger(label: "paperboy.digest"))
        let categories = (self.categories ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        var added = 0
        var existing = 0
        var bad = 0
        let now = Date()
        for (place, text) in lines {
            let address: EmailAddress
            do {
                address = try AddressRule.parse(text)
            } catch {
                FileHandle.standardError.write(
                    Data("\(place): \"\(text)\" is not an e-mail address: \(error.message)\n".utf8))
                bad += 1
                continue
            }
            if self.confirmed {
                var (subscription, created) = try await store.subscribe(
                    email: address, memberID: nil, frequency: self.frequency, at: now)
                created ? (added += 1) : (existing += 1)
                subscription.status = .active
                subscription.confirmed = subscription.confirmed ?? now
                subscription.frequency = self.frequency
                subscription.categories = categories
                subscription.paperCount = self.papers
                try await store.updateSubscription(subscription)
            } else {
                let before = try await store.subscription(email: address)
                try await services.subscriptions.subscribe(
                    email: address.rawValue, frequency: self.frequency, client: "command line", now: now)
                before == nil ? (added += 1) : (existing += 1)
            }
        }
        print("\(added) added, \(existing) already known, \(bad) bad")
        try await printStatus(store)
    }
}

/// `paperboy digest status`.
struct DigestStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Count subscriptions and outbox entries by state.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await printStatus(try await self.database.open().storage.subscriptions)
    }
}

/// `paperboy digest test`: one test mail, to check the SMTP settings.
struct DigestTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Send one test mail through the configured SMTP server.")

    @OptionGroup var options: DigestOptions

    @Option(help: "The recipient.")
    var to: String

    @Option(help: "The subject.")
    var subject = "Paperboy test mail"

    func run() async throws {
        let logger = Logger(label: "paperboy.digest")
        guard self.options.mail.smtpURLValue != nil else {
            throw ValidationError("no SMTP server: set PAPERBOY_SMTP_URL or --smtp-url")
        }
        let database = try await self.options.database.open()
        let settings = try self.options.mail.settings(
            baseURL: publicBaseURL(self.options.baseURL, fallback: "http://127.0.0.1:8080"),
            key: try await signingKey(database: self.options.database, opened: database, logger: logger))
        do {
            let message = MailMessage(
                from: settings.from, to: [try MailAddress(self.to)], subject: self.subject,
                text: "This is a test mail from Paperboy at \(settings.baseURL).\n",
                messageID: "test.\(UUID().uuidString.lowercased())@\(settings.from.domain)")
            _ = try message.rendered()
            try await self.options.mail.transport(logger: logger).sendOne(message)
        } catch let error as MailError {
            throw ValidationErrorText("nothing was sent: \(error)")
        }
        print("sent to \(self.to)")
    }
}
