public import Foundation
public import Logging
public import PaperboyMail
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

/// Sends the outbox: leases due digests, sends each over one reused SMTP session, and records
/// the outcome.
///
/// A digest is marked sent in the store after its whole text has gone out and before the final
/// dot that hands it to the server (``MailSession/send(_:willCommit:)``), and only while this
/// sender still holds its lease; so a sender killed at any moment neither loses a digest (an
/// unmarked one is sent again once its lease expires; the server dropped the unfinished text) nor
/// sends one twice. A 4xx reply, a timeout or a lost connection puts the digest back with
/// exponential backoff until ``Options/maxAttempts``; a 5xx refusal of the recipient marks the
/// digest and the subscription bounced; other refusals end the digest as failed, reason kept.
public struct DigestSender: Sendable {
    /// How the sender paces and retries.
    public struct Options: Sendable {
        /// Attempts before a digest is given up as failed.
        public var maxAttempts = 6
        /// The wait after the first temporary failure; doubled after each further one.
        public var retryDelay: TimeInterval = 300
        /// How long a leased digest is reserved for this sender.
        public var lease: TimeInterval = 30
        /// Digests leased at a time.
        public var batchSize = 25
        /// Mails a minute to any one recipient domain (0: no limit), over all connections.
        public var perDomainPerMinute: Double = 300
        /// SMTP connections sending at once, each with its own leases.
        public var connections = 2

        /// Default options.
        public init() {}
    }

    /// What a run did.
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        /// Digests the server took.
        public var sent = 0
        /// Digests put back after a temporary failure.
        public var retried = 0
        /// Digests given up.
        public var failed = 0
        /// Digests refused for good by the recipient's server.
        public var bounced = 0

        /// An empty report.
        public init() {}

        public var description: String {
            "\(self.sent) sent, \(self.retried) to retry, \(self.failed) failed, \(self.bounced) bounced"
        }
    }

    let store: any SubscriptionStore
    let sentMarking: Storage.SentMarking
    let transport: any MailTransport
    let subscriptions: SubscriptionService
    let options: Options
    let logger: Logger
    /// Who holds leases: host, process and a random part.
    let owner: String

    /// Creates a sender.
    ///
    /// - Parameter sentMarking: how the backend commits a sent mark before the final dot
    ///   (``Storage/sentMarking``).
    public init(
        store: any SubscriptionStore, sentMarking: Storage.SentMarking = .awaited, transport: any MailTransport,
        subscriptions: SubscriptionService, options: Options = Options(),
        logger: Logger = Logger(label: "paperboy.digest")
    ) {
        self.store = store
        self.sentMarking = sentMarking
        self.transport = transport
        self.subscriptions = subscriptions
        self.options = options
        self.logger = logger
        let process = ProcessInfo.processInfo
        self.owner = "\(process.hostName):\(process.processIdentifier):\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The message for an outbox entry: a Message-ID stable per digest, one-click unsubscribe.
    public func message(for mail: OutboxMail, now: Date = Date()) throws -> MailMessage {
        let settings = self.subscriptions.settings
        let period = mail.period.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "." }
        return MailMessage(
            from: settings.from, to: [try MailAddress(mail.recipient.rawValue)], subject: mail.subject, text: mail.text,
            html: mail.html, date: now, messageID: "digest.\(mail.id).\(String(period))@\(settings.messageIDDomain)",
            unsubscribeURL: self.subscriptions.unsubscribeURL(mail.subscriptionID, now: now),
            headers: [try MailHeader("X-Paperboy-Period", mail.period)])
    }

    /// Sends every due digest; returns when none is left (those waiting for a retry stay queued)
    /// and `producing` says no more are coming (so it can run beside the composer). Cancelling
    /// the task stops it after the digest in flight.
    public func run(
        now: @escaping @Sendable () -> Date = { Date() }, producing: @escaping @Sendable () -> Bool = { false }
    ) async throws -> Report {
        // A minute's worth of mails to a domain at once, then `perDomainPerMinute`.
        let perMinute = self.options.perDomainPerMinute
        let pacing =
            perMinute > 0 ? RateLimiter(capacity: Int(max(1, perMinute)), perMinute: perMinute) : nil
        return try await withThrowingTaskGroup(of: Report.self) { group in
            for worker in 0..<max(1, self.options.connections) {
                group.addTask {
                    try await self.work(
                        owner: "\(self.owner):\(worker)", pacing: pacing, now: now, producing: producing)
                }
            }
            var total = Report()
            for try await report in group {
                total.sent += report.sent
                total.retried += report.retried
                total.failed += report.failed
                total.bounced += report.bounced
            }
            return total
        }
    }

    /// One connection's worth of sending: lease a batch, send it, until nothing is due.
    private func work(
        owner: String, pacing: RateLimiter?, now: @Sendable () -> Date, producing: @Sendable () -> Bool
    ) async throws -> Report {
        var report = Report()
        var session: (any MailSession)?
        do {
            while !Task.isCancelled {
                let batch = try await self.store.claimDue(
                    limit: self.options.batchSize, owner: owner, now: now(), lease: self.options.lease)
                if batch.isEmpty {
                    guard producing() else { break }
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                for mail in batch {
                    if Task.isCancelled { break }
                    let wait = pacing?.reserve(mail.recipient.domain, now: now().timeIntervalSince1970) ?? 0
                    if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                    if session == nil {
                        do {
                            session = try await self.transport.open()
                        } catch {
                            try await self.retry(mail, owner: owner, error: "\(error)", report: &report, now: now())
                            continue
                        }
                    }
                    guard let open = session else { continue }
                    switch await self.send(mail, owner: owner, over: open, now: now) {
                    case .sent: report.sent += 1
                    case .withdrawn:
                        // Another sender holds it now, or the store failed: it stays queued.
                        await open.close()
                        session = nil
                    case .failed(let error):
                        try await self.settle(mail, owner: owner, error: error, report: &report, now: now())
                        if [.connectionFailed, .timeout, .protocolViolation].contains(error.code) {
                            await open.close()
                            session = nil
                        }
                    }
                }
            }
        } catch {
            await session?.close()
            try? await self.store.releaseLeases(owner: owner)
            throw error
        }
        await session?.close()
        try await self.store.releaseLeases(owner: owner)
        return report
    }

    private enum Outcome {
        case sent
        case withdrawn
        case failed(MailError)
    }

    private struct LeaseLost: Error {}

    private func send(
        _ mail: OutboxMail, owner: String, over session: any MailSession, now: @Sendable () -> Date
    ) async -> Outcome {
        let message: MailMessage
        do {
            message = try self.message(for: mail, now: now())
        } catch let error as MailError {
            return .failed(error)
        } catch {
            return .failed(MailError(.invalidHeader, "\(error)"))
        }
        let store = self.store
        let marked = SharedFlag(false)
        do {
            switch self.sentMarking {
            case .synchronous(let markSentNow):
                // Marked on the mail connection's own loop, the final dot written to the socket
                // by the same call right after it.
                let at = now()
                _ = try await session.send(
                    message, willCommit: {},
                    commitNow: {
                        guard try markSentNow(mail.id, owner, at) else { throw LeaseLost() }
                        marked.set()
                    })
            case .awaited:
                _ = try await session.send(message) {
                    guard try await store.markSent(id: mail.id, owner: owner, at: now()) else { throw LeaseLost() }
                    marked.set()
                }
            }
            return .sent
        } catch {
            if error.code == .withdrawn { return .withdrawn }
            if marked.isSet {
                // The server answered the final dot with a refusal: it does not hold the message,
                // so the digest is reopened. Without an answer (a timeout, a dropped connection)
                // it may hold it: the digest stays sent, never doubled.
                if error.code == .rejected, error.reply != nil { return .failed(error) }
                self.logger.warning("digest \(mail.id) to \(mail.recipient): no answer to its end: \(error)")
                return .sent
            }
            return .failed(error)
        }
    }

    /// Records a failure: retry, bounce or give up.
    private func settle(
        _ mail: OutboxMail, owner: String, error: MailError, report: inout Report, now: Date
    ) async throws {
        if error.code == .recipientRefused, error.isPermanent {
            try await self.store.markUndeliverable(id: mail.id, owner: owner, status: .bounced, error: "\(error)")
            self.logger.notice("digest \(mail.id): \(mail.recipient) bounced: \(error)")
            report.bounced += 1
        } else if error.isTransient {
            try await self.retry(mail, owner: owner, error: "\(error)", report: &report, now: now)
        } else {
            try await self.store.markUndeliverable(id: mail.id, owner: owner, status: .failed, error: "\(error)")
            self.logger.warning("digest \(mail.id) to \(mail.recipient) failed: \(error)")
            report.failed += 1
        }
    }

    private func retry(
        _ mail: OutboxMail, owner: String, error: String, report: inout Report, now: Date
    ) async throws {
        if mail.attempts + 1 >= self.options.maxAttempts {
            try await self.store.markUndeliverable(
                id: mail.id, owner: owner, status: .failed,
                error: "gave up after \(mail.attempts + 1) attempts: \(error)")
            report.failed += 1
            return
        }
        let delay = self.options.retryDelay * pow(2, Double(mail.attempts))
        try await self.store.markRetry(
            id: mail.id, owner: owner, error: error, next: now.addingTimeInterval(delay))
        report.retried += 1
    }
}

/// A yes/no shared between tasks (a producer still at work; a digest marked from the commit hook).
final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool

    init(_ value: Bool) {
        self.value = value
    }

    var isSet: Bool { self.lock.withLock { self.value } }
    func set(_ value: Bool = true) { self.lock.withLock { self.value = value } }
}
