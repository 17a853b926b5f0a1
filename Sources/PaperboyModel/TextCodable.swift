/// A value written as one string in JSON and other coded forms: its ``text``, read back with
/// ``init(parsingText:)``, which validates it.
public protocol TextCodable: Codable {
    /// Parses the value from its text.
    init(parsingText text: String) throws
    /// The value's text.
    var text: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsingText: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.text)
    }
}
