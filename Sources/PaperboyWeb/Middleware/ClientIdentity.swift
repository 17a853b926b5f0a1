import Foundation
import Hummingbird
import NIOCore
import PaperboySecurity

/// Who sent a request, as far as the site can tell: the peer's address, or the client a trusted
/// proxy names in `X-Forwarded-For`; whether the client's own connection is https; and the host
/// it asked for, when that can be believed.
///
/// ``ClientMiddleware`` works it out once per request and makes it ``current`` for the handlers
/// below it (rate limits, the Secure flag of cookies, absolute links).
struct ClientIdentity: Sendable, Equatable {
    /// The key of per-client rate limits: an IPv4 address, an IPv6 /64, or `unknown` for a peer
    /// without an IP address.
    var key: String
    /// Whether the client's connection to the site is https (`X-Forwarded-Proto` from a trusted
    /// proxy).
    var isHTTPS: Bool
    /// The `Host` the client asked for, when the peer is a trusted proxy (or this machine) and the
    /// value is a well-formed host; `nil` otherwise.
    var trustedHost: String?
    /// Whether the request came straight from a trusted network (this machine by default), not
    /// forwarded by a proxy for someone else: who may read `/metrics`.
    var isTrustedPeer = false

    /// The identity of the request being handled.
    @TaskLocal static var current = ClientIdentity(key: "unknown", isHTTPS: false, trustedHost: nil)

    /// Works out who sent `request` over a connection from `peer`, believing forwarding headers
    /// only from `trustedProxies`.
    static func of(_ request: Request, peer: SocketAddress?, trustedProxies: [IPNetwork]) -> ClientIdentity {
        // No IP address (a connection already closed: NIO forgets its peer) is nobody to believe.
        guard let peerAddress = peer?.ipAddress.flatMap({ IPAddress($0) }) else {
            return ClientIdentity(key: "unknown", isHTTPS: false, trustedHost: nil)
        }
        guard trustedProxies.contains(where: { $0.contains(peerAddress) }) else {
            return ClientIdentity(key: peerAddress.clientKey, isHTTPS: false, trustedHost: nil)
        }
        var client: IPAddress = peerAddress
        let forwardedFor = request.headers[values: .init("X-Forwarded-For")!]
        if let forwarded = request.headers[values: .init("X-Forwarded-For")!].joined(separator: ",")
            .nilIfEmpty
        {
            // From the right: the first hop that is not a trusted proxy is the client.
            for hop in forwarded.split(separator: ",").reversed() {
                guard let address = Self.address(of: hop.trimmingCharacters(in: .whitespaces)) else { break }
                client = address
                if !trustedProxies.contains(where: { $0.contains(address) }) { break }
            }
        }
        let proto = request.headers[.init("X-Forwarded-Proto")!]?.split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        return ClientIdentity(
            key: client.clientKey, isHTTPS: proto == "https",
            trustedHost: request.head.authority.flatMap(Self.wellFormedHost), isTrustedPeer: forwardedFor.isEmpty)
    }

    /// An address in a forwarding header: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`.
    static func address(of hop: String) -> IPAddress? {
        if let address = IPAddress(hop) { return address }
        if hop.hasPrefix("["), let close = hop.firstIndex(of: "]") {
            return IPAddress(hop[hop.index(after: hop.startIndex)..<close])
        }
        if let colon = hop.lastIndex(of: ":"), hop.firstIndex(of: ":") == colon {
            return IPAddress(hop[..<colon])
        }
        return nil
    }

    /// `name[:port]` with letters, digits, dots and hyphens only (or a bracketed IPv6 address),
    /// so that it can go into a link as it is.
    static func wellFormedHost(_ host: String) -> String? {
        guard (1...255).contains(host.utf8.count) else { return nil }
        var name = Substring(host)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit) else { return nil }
            name = host[..<colon]
        }
        if name.hasPrefix("["), name.hasSuffix("]") {
            return IPAddress(name) != nil ? host : nil
        }
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "-"
            })
        else { return nil }
        return host
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}

extension String {
    fileprivate var nilIfEmpty: String? { self.isEmpty ? nil : self }
}
