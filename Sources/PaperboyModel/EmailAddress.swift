/// An e-mail address as members give it: trimmed, at most 254 bytes, one `@` with text on both
/// sides, a dot in the domain, and no white space or control characters (so it can never carry a
/// line break into a mail header). Compared case-insensitively through ``normalized``.
public struct EmailAddress: Hashable, Sendable, TextCodable, CustomStringConvertible {
    /// The address as given (trimmed).
    public let rawValue: String

    /// Checks and wraps an address.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidEmail`` saying what is wrong.
    public init(parsing text: String) throws(ModelError) {
        let trimmed = String(text.trimmingWhitespace())
        guard !trimmed.isEmpty else { throw ModelError(.invalidEmail, "the e-mail address is empty") }
        guard trimmed.utf8.count <= 254 else {
            throw ModelError(.invalidEmail, "the e-mail address is longer than 254 characters")
        }
        guard
            !trimmed.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            })
        else {
            throw ModelError(.invalidEmail, "the e-mail address contains a space or a control character")
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ModelError(.invalidEmail, "\"\(trimmed)\" is not an e-mail address: expected name@domain")
        }
        guard parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            throw ModelError(.invalidEmail, "\"\(trimmed)\" is not an e-mail address: the domain needs a dot")
        }
        self.rawValue = trimmed
    }

    /// The form used for lookups: lower case.
    public var normalized: String { self.rawValue.lowercased() }

    /// The domain part, lower case (per-domain sending limits use it).
    public var domain: String { String(self.normalized.split(separator: "@").last ?? "") }

    public var description: String { self.rawValue }

    public static func == (lhs: EmailAddress, rhs: EmailAddress) -> Bool { lhs.normalized == rhs.normalized }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.normalized) }

    public init(parsingText text: String) throws {
        try self.init(parsing: text)
    }

    public var text: String { self.rawValue }
}
