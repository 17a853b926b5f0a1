public import Hummingbird
import Logging
import PaperboyServices

/// The one error type of the web layer: what went wrong with a request, with the HTTP status it
/// maps to. The error middleware turns it into an HTML page or a JSON body.
public struct WebError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// A machine-readable code, e.g. `not_found`, `invalid_date`.
    public let code: String
    /// What went wrong, naming the parameter or id at fault.
    public let message: String

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// 404 with a message.
    public static func notFound(_ message: String) -> WebError {
        WebError(.notFound, code: "not_found", message)
    }

    /// 400 for a bad query parameter or path value.
    public static func badRequest(code: String, _ message: String) -> WebError {
        WebError(.badRequest, code: code, message)
    }

    /// The status a failed use case maps to: 409 for a conflict, 401 for bad credentials, 429
    /// for too many attempts, 502 for arXiv out of reach, 503 when the server is busy, 400 for bad
    /// input.
    static func status(of error: ServiceError) -> HTTPResponse.Status {
        switch error.code {
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .rateLimited: .tooManyRequests
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unavailable: .badGateway
        case .busy: .serviceUnavailable
        default: .badRequest
        }
    }

    public var description: String { "\(self.status.code) \(self.code): \(self.message)" }
}

extension ServiceError {
    /// Writes what the log should know beyond the message (a mail server's reply, a network
    /// error); the client sees only the message.
    func log(to logger: Logger) {
        if let detail = self.detail { logger.error("\(self.message): \(detail)") }
    }
}
