/// A block of addresses in CIDR notation (`127.0.0.0/8`, `::1/128`, `10.1.2.3` for one address).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let address: IPAddress
    /// How many leading bits are fixed.
    public let prefixLength: Int

    /// Parses CIDR notation; a bare address is a block of one.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].utf8.allSatisfy({ (48...57).contains($0) }),
                let given = Int(parts[1]), (0...bits).contains(given)
            else {
                return nil
            }
            length = given
        }
        self.init(address: address, prefixLength: length)
    }

    init(address: IPAddress, prefixLength: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let keep = max(0, min(8, prefixLength - index * 8))
            bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        self.address = IPAddress(bytes: bytes)
        self.prefixLength = prefixLength
    }

    /// Whether `address` is in the block.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == self.address.bytes.count else { return false }
        return IPNetwork(address: address, prefixLength: self.prefixLength).address == self.address
    }

    /// Loopback, IPv4 and IPv6: the default of the proxies a site believes.
    public static let loopback: [IPNetwork] = [IPNetwork("127.0.0.0/8")!, IPNetwork("::1/128")!]

    /// The block in CIDR notation.
    public var description: String { "\(self.address)/\(self.prefixLength)" }
}
