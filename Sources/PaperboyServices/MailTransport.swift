public import Logging
public import PaperboyMail

/// Where mail goes: SMTP in production (``SMTPTransport``), the log when no server is set
/// (``LogTransport``), a recorder in unit tests.
public protocol MailTransport: Sendable {
    /// Opens a session that can send several messages.
    func open() async throws -> any MailSession
}

/// One session with a mail server.
public protocol MailSession: Sendable {
    /// Sends a message; `willCommit` runs just before the server takes responsibility for it
    /// (see ``SMTPConnection/send(_:willCommit:)``); throwing from it withdraws the message.
    ///
    /// - Returns: the recipients refused while others were accepted, with the server's reply.
    func send(
        _ message: MailMessage, willCommit: @Sendable () async throws -> Void,
        commitNow: (@Sendable () throws -> Void)?
    ) async throws(MailError)
        -> [String]

    /// Ends the session.
    func close() async
}

extension MailSession {
    /// Sends a message with only the asynchronous commit hook.
    public func send(
        _ message: MailMessage, willCommit: @Sendable () async throws -> Void
    ) async throws(MailError)
        -> [String]
    {
        try await self.send(message, willCommit: willCommit, commitNow: nil)
    }
}

extension MailTransport {
    /// Opens a session, sends one message, closes.
    public func sendOne(_ message: MailMessage) async throws {
        let session = try await self.open()
        do {
            _ = try await session.send(message, willCommit: {})
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }
}

/// Mail over SMTP with ``SMTPConnection``.
public struct SMTPTransport: MailTransport {
    /// The server.
    public let configuration: SMTPConfiguration

    /// Creates a transport.
    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func open() async throws -> any MailSession {
        Session(connection: try await SMTPConnection.open(self.configuration))
    }

    private struct Session: MailSession {
        let connection: SMTPConnection

        func send(
            _ message: MailMessage, willCommit: @Sendable () async throws -> Void,
            commitNow: (@Sendable () throws -> Void)?
        ) async throws(MailError) -> [String] {
            let result = try await self.connection.send(message, willCommit: willCommit, commitNow: commitNow)
            return result.refused.map { "\($0.0.address): \($0.1)" }
        }

        func close() async { await self.connection.close() }
    }
}

/// No mail server: each message is written to the log (subject, recipients and the plain text,
/// so that confirmation links can be followed by hand) and counts as sent.
public struct LogTransport: MailTransport {
    let logger: Logger

    /// Creates a transport writing to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func open() async throws -> any MailSession { Session(logger: self.logger) }

    private struct Session: MailSession {
        let logger: Logger

        func send(
            _ message: MailMessage, willCommit: @Sendable () async throws -> Void,
            commitNow: (@Sendable () throws -> Void)?
        ) async throws(MailError) -> [String] {
            _ = try message.rendered()
            do {
                try await willCommit()
                try commitNow?()
            } catch {
                throw MailError(.withdrawn, "the message was withdrawn: \(error)")
            }
            self.logger.notice(
                "mail (no SMTP server set: PAPERBOY_SMTP_URL) to \(message.to.map(\.address).joined(separator: ", ")): \(message.subject)\n\(message.text)"
            )
            return []
        }

        func close() async {}
    }
}
