import Foundation

/// Where and how to reach an SMTP server, read from a URL such as
/// `smtp://user:pass@mail.example.org:587?starttls=true`.
///
/// Schemes: `smtp` (port 25 by default; `?starttls=true` requires STARTTLS) and `smtps` (TLS
/// from the first byte, port 465 by default). Further query items: `ca=PATH` trusts the PEM
/// certificates in PATH (for a private CA or a self-signed server), `verify=false` skips
/// certificate checks (testing only), `timeout=SECONDS` (default 30), `helo=NAME` (default
/// `localhost`). User name and password are percent-decoded.
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// No TLS.
        case none
        /// Plain first, then STARTTLS, which the server must offer.
        case startTLS
        /// TLS from the first byte (`smtps`).
        case tls
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// How the connection is protected.
    public var security: Security
    /// The user name for AUTH, if any.
    public var username: String?
    /// The password for AUTH.
    public var password: String?
    /// PEM file of certificates to trust besides the system's.
    public var trustedCertificatesFile: String?
    /// Whether the server's certificate is checked.
    public var verifyCertificate: Bool
    /// Seconds to wait for each reply (and for the connection).
    public var timeout: Double
    /// The name given in EHLO.
    public var heloName: String

    /// Makes a configuration by hand.
    public init(
        host: String, port: Int, security: Security = .none, username: String? = nil, password: String? = nil,
        trustedCertificatesFile: String? = nil, verifyCertificate: Bool = true, timeout: Double = 30,
        heloName: String = "localhost"
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
        self.verifyCertificate = verifyCertificate
        self.timeout = timeout
        self.heloName = heloName
    }

    /// Reads a configuration from an `smtp://` or `smtps://` URL.
    ///
    /// - Throws: ``MailError`` `invalidConfiguration` naming the part that is wrong.
    public init(url text: String) throws(MailError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw MailError(.invalidConfiguration, "\"\(Self.redacted(text))\" is not a URL; expected smtp://host:port")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw MailError(
                .invalidConfiguration, "unknown scheme \"\(scheme)\" in the SMTP URL; use smtp:// or smtps://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw MailError(.invalidConfiguration, "the SMTP URL has no host")
        }
        self.init(host: host, port: components.port ?? (scheme == "smtps" ? 465 : 25))
        self.security = scheme == "smtps" ? .tls : .none
        self.username = components.user.flatMap { $0.removingPercentEncoding ?? $0 }
        self.password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        if let username, username.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw MailError(.invalidConfiguration, "the SMTP user name contains a line break")
        }
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "starttls":
                guard let on = Self.bool(value) else { throw Self.badValue(item.name, value) }
                if on {
                    guard scheme == "smtp" else {
                        throw MailError(.invalidConfiguration, "starttls=true only goes with smtp://, not smtps://")
                    }
                    self.security = .startTLS
                }
            case "verify":
                guard let on = Self.bool(value) else { throw Self.badValue(item.name, value) }
                self.verifyCertificate = on
            case "ca": self.trustedCertificatesFile = value
            case "timeout":
                guard let seconds = Double(value), seconds > 0 else { throw Self.badValue(item.name, value) }
                self.timeout = seconds
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-.[]:".contains($0) }) else {
                    throw Self.badValue(item.name, value)
                }
                self.heloName = value
            default:
                throw MailError(
                    .invalidConfiguration,
                    "unknown setting \"\(item.name)\" in the SMTP URL; known: starttls, verify, ca, timeout, helo")
            }
        }
    }

    /// The URL with its password replaced by `***`, for logs and errors.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    /// Whether the host is this machine (credentials may go in the clear only there).
    var isLoopback: Bool { ["localhost", "127.0.0.1", "::1"].contains(self.host.lowercased()) }

    private static func bool(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }

    private static func badValue(_ name: String, _ value: String) -> MailError {
        MailError(.invalidConfiguration, "\"\(value)\" is not a valid value for \(name) in the SMTP URL")
    }
}
