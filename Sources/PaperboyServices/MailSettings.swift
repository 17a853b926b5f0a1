import Foundation
public import PaperboyMail

/// What every mail the site sends shares: who it is from, where its links point, how links are
/// signed.
public struct MailSettings: Sendable {
    /// The author of every mail (`Paperboy <digest@papers.example.org>`).
    public var from: MailAddress
    /// The site's public address, without a trailing slash (`https://papers.example.org`).
    public var baseURL: String
    /// The key that signs confirmation, manage and unsubscribe links.
    public var key: [UInt8]
    /// The site's name in subjects and greetings.
    public var siteName: String

    /// Creates settings; `from` defaults to `Paperboy <digest@HOST>` with the base URL's host.
    public init(baseURL: String, key: [UInt8], from: MailAddress? = nil, siteName: String = "Paperboy") throws {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.baseURL = base
        self.key = key
        self.siteName = siteName
        self.from = try from ?? MailAddress("digest@\(Self.host(of: base))", displayName: siteName)
    }

    /// The host of a URL, or `localhost`; an IP address or a name without a dot gets `.localdomain`
    /// so that the address stays valid.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }.lowercased()
        guard !host.isEmpty else { return "localhost.localdomain" }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) || !host.contains(".") { return host + ".localdomain" }
        return host
    }

    /// The domain of Message-IDs.
    var messageIDDomain: String { self.from.domain }
}
