/// A mailbox: an address with an optional display name (`Paperboy <digest@example.org>`).
///
/// The address is checked when made: one `@` with text on both sides, no white space, no control
/// characters and none of `<>()[],;:"\`, so it can never carry a line break or a second address
/// into a header or an SMTP command.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`.
    public let address: String
    /// The name shown by mail programs, if any.
    public let displayName: String?

    /// Checks and makes a mailbox.
    ///
    /// - Throws: ``MailError`` `invalidAddress` saying what is wrong, or `invalidHeader` when the
    ///   display name carries a line break.
    public init(_ address: String, displayName: String? = nil) throws(MailError) {
        if let lineBreak = address.unicodeScalars.firstIndex(where: { $0 == "\r" || $0 == "\n" }) {
            let column = address.unicodeScalars.distance(from: address.unicodeScalars.startIndex, to: lineBreak) + 1
            throw MailError(.invalidAddress, "the address contains a line break (CR or LF) at character \(column)")
        }
        guard !address.isEmpty, address.utf8.count <= 254 else {
            throw MailError(.invalidAddress, "an address must have 1 to 254 characters")
        }
        let forbidden = Set("<>()[],;:\"\\".unicodeScalars)
        if let bad = address.unicodeScalars.first(where: {
            $0.value <= 0x20 || $0.value == 0x7F || forbidden.contains($0)
        }) {
            let shown = bad.value <= 0x20 || bad.value == 0x7F ? codePoint(bad.value) : "\"\(bad)\""
            throw MailError(.invalidAddress, "\"\(address)\" is not an address: it contains \(shown)")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw MailError(.invalidAddress, "\"\(address)\" is not an address: expected local@domain")
        }
        if let displayName { try MailHeader.checkValue(displayName, field: "display name") }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The domain part in lower case.
    public var domain: String { String(self.address.split(separator: "@").last ?? "").lowercased() }

    /// The mailbox as a header writes it, the name encoded (RFC 2047) or quoted where needed.
    public var headerValue: String {
        guard let displayName else { return self.address }
        return "\(HeaderEncoding.phrase(displayName)) <\(self.address)>"
    }

    public var description: String { self.headerValue }
}

/// `U+000A` for a scalar value.
func codePoint(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
