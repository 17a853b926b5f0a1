import ArgumentParser
import Foundation
import Logging
import PaperboyMail
import PaperboyPostgres
import PaperboySecurity
import PaperboyServices
import PaperboyStore

/// The options of commands that send mail: the SMTP server, the sender, the site's public
/// address for links. Each falls back to its environment variable.
struct MailOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The SMTP server: smtp://user:pass@host:port, smtps://…, ?starttls=true (default: $PAPERBOY_SMTP_URL).",
            valueName: "url"))
    var smtpURL: String?

    @Option(
        help: ArgumentHelp(
            "The author of mails, like 'Paperboy <digest@example.org>' (default: $PAPERBOY_MAIL_FROM, else digest@ the base URL's host).",
            valueName: "address"))
    var mailFrom: String?

    /// The SMTP URL chosen by flag or environment.
    var smtpURLValue: String? {
        if let smtpURL, !smtpURL.isEmpty { return smtpURL }
        if let value = ProcessInfo.processInfo.environment["PAPERBOY_SMTP_URL"], !value.isEmpty { return value }
        return nil
    }

    /// The transport: SMTP when a server is set, else the log.
    func transport(logger: Logger) throws -> any MailTransport {
        guard let url = self.smtpURLValue else { return LogTransport(logger: logger) }
        do {
            return SMTPTransport(configuration: try SMTPConfiguration(url: url))
        } catch {
            throw ValidationError("PAPERBOY_SMTP_URL / --smtp-url: \(error.message)")
        }
    }

    /// The sender, links and key of every mail.
    func settings(baseURL: String, key: [UInt8]) throws -> MailSettings {
        let fromText = self.mailFrom ?? ProcessInfo.processInfo.environment["PAPERBOY_MAIL_FROM"]
        var from: MailAddress?
        if let fromText, !fromText.isEmpty {
            do {
                from = try Self.mailbox(fromText)
            } catch {
                throw ValidationError("PAPERBOY_MAIL_FROM / --mail-from: \(error.message)")
            }
        }
        return try MailSettings(baseURL: baseURL, key: key, from: from)
    }

    /// `Name <address>` or a bare address.
    static func mailbox(_ text: String) throws(MailError) -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            return try MailAddress(address, displayName: name.isEmpty ? nil : name)
        }
        return try MailAddress(trimmed)
    }
}

/// The site's public address: the flag, else `PAPERBOY_BASE_URL`, else `fallback`.
func publicBaseURL(_ flag: String?, fallback: String) -> String {
    if let flag, !flag.isEmpty { return flag }
    if let value = ProcessInfo.processInfo.environment["PAPERBOY_BASE_URL"], !value.isEmpty { return value }
    return fallback
}

/// The signing key: `PAPERBOY_SECRET`, else a random key made on first use and kept in the
/// PostgreSQL database (shared by every node) or beside the SQLite file (readable by its owner
/// only), so forms, sessions' links and the links in mails survive restarts and are shared by
/// `serve` and `digest`.
func signingKey(database: DatabaseOptions, opened: OpenedDatabase, logger: Logger) async throws -> [UInt8] {
    if let text = ProcessInfo.processInfo.environment["PAPERBOY_SECRET"], !text.isEmpty {
        return SHA256.hash(Array(text.utf8))
    }
    if let postgres = opened.postgres {
        do {
            return try await postgres.sharedSecret(named: "signing-key")
        } catch {
            throw ValidationError(
                "cannot read the signing key from \(opened.description): \(error); set PAPERBOY_SECRET instead")
        }
    }
    let path = database.path + ".secret"
    if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 {
        chmod(path, 0o600)  // made by an earlier version, perhaps readable by others
        return Array(existing)
    }
    var generator = SystemRandomNumberGenerator()
    let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    // Created 0600 in one step: no moment when others could read it.
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
        throw ValidationError(
            "cannot write the signing key to \(path): \(String(cString: strerror(errno))); set PAPERBOY_SECRET instead")
    }
    defer { close(descriptor) }
    fchmod(descriptor, 0o600)
    let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == key.count, fsync(descriptor) == 0 else {
        throw ValidationError("cannot write the signing key to \(path); set PAPERBOY_SECRET instead")
    }
    logger.info("made a signing key at \(path)")
    return key
}

/// The mail use cases over one store and index.
struct MailServices {
    let subscriptions: SubscriptionService
    let digests: Digests
    let sender: DigestSender

    init(
        storage: Storage, index: PaperIndex, transport: any MailTransport, settings: MailSettings,
        senderOptions: DigestSender.Options = DigestSender.Options(), logger: Logger
    ) {
        self.subscriptions = SubscriptionService(
            store: storage.subscriptions, rateLimits: storage.rateLimits, transport: transport, settings: settings,
            checkQuery: index.queryCheck)
        let lists = PaperLists(store: storage.lists)
        let composer = DigestComposer(
            lists: lists, search: PaperSearch(index: index, store: storage.papers), subscriptions: self.subscriptions)
        self.digests = Digests(composer: composer, lists: lists)
        self.sender = DigestSender(
            store: storage.subscriptions, sentMarking: storage.sentMarking, transport: transport,
            subscriptions: self.subscriptions, options: senderOptions,
            logger: logger)
    }
}
