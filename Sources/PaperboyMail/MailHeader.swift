/// A header field the caller adds to a message (`X-Paperboy-Period: 2026-W47`).
public struct MailHeader: Sendable, Equatable {
    /// The field name: printable ASCII without colon or space.
    public let name: String
    /// The value, unstructured text.
    public let value: String

    /// Checks and makes a header.
    ///
    /// - Throws: ``MailError`` `invalidHeader` when the name is not a field name or the value
    ///   carries a line break.
    public init(_ name: String, _ value: String) throws(MailError) {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }) else {
            throw MailError(.invalidHeader, "\"\(name)\" is not a header field name")
        }
        try Self.checkValue(value, field: name)
        self.name = name
        self.value = value
    }

    /// Refuses a value with CR, LF or another control character but tab: such a value could end
    /// the header and start another (header injection).
    static func checkValue(_ value: String, field: String) throws(MailError) {
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            if scalar == "\r" || scalar == "\n" {
                throw MailError(
                    .invalidHeader,
                    "the \(field) contains a line break (CR or LF) at character \(offset + 1); nothing was sent")
            }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw MailError(
                    .invalidHeader,
                    "the \(field) contains the control character \(codePoint(scalar.value)) at character \(offset + 1)")
            }
        }
    }
}
