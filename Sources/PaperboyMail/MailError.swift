/// The one error type of the mail library: what went wrong, and for errors from the server its
/// reply code and text.
public struct MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// A header value carries a line break or is otherwise unusable; nothing was sent.
        case invalidHeader = "invalid_header"
        /// An address is not one.
        case invalidAddress = "invalid_address"
        /// The SMTP URL or a setting is wrong.
        case invalidConfiguration = "invalid_configuration"
        /// The connection could not be made or was lost.
        case connectionFailed = "connection_failed"
        /// The server did not answer in time.
        case timeout
        /// TLS could not be set up (STARTTLS refused or the handshake failed).
        case tls
        /// The server refused the credentials, or none of its mechanisms is supported.
        case authentication
        /// The server answered with a 4xx or 5xx reply.
        case rejected
        /// The server refused every recipient of the message (the reply is the first refusal's).
        case recipientRefused = "recipient_refused"
        /// The server said something that is not SMTP.
        case protocolViolation = "protocol_violation"
        /// The caller withdrew the message before its end (the commit hook threw); nothing was
        /// delivered and the connection was closed.
        case withdrawn
        /// The message is larger than the server accepts.
        case messageTooLarge = "message_too_large"
    }

    /// What kind of failure.
    public let code: Code
    /// What went wrong and where, for people.
    public let message: String
    /// The server's reply, for ``Code/rejected`` and other errors the server caused.
    public let reply: SMTPReply?

    /// Creates an error.
    public init(_ code: Code, _ message: String, reply: SMTPReply? = nil) {
        self.code = code
        self.message = message
        self.reply = reply
    }

    /// True when trying again later may work: a 4xx reply, a timeout or a lost connection.
    public var isTransient: Bool {
        switch self.code {
        case .rejected, .recipientRefused: return self.reply?.isTransient ?? false
        case .timeout, .connectionFailed: return true
        default: return false
        }
    }

    /// True when the server refused for good (5xx).
    public var isPermanent: Bool { self.reply?.isPermanent ?? false }

    public var description: String {
        guard let reply else { return self.message }
        return "\(self.message): \(reply.code) \(reply.text)"
    }
}
