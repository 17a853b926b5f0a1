/// The one error type of the parsers: a record or a file that could not be read, with where it is
/// (file, line, field, record id) and why.
///
/// Its ``description`` is the `file:line: reason` form that compilers use, so editors can jump to it.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The file could not be opened or read.
        public static let unreadable = Code(name: "unreadable")
        /// The compressed stream is damaged.
        public static let corruptCompression = Code(name: "corrupt_compression")
        /// The bytes are not valid JSON, or not the expected JSON shape.
        public static let invalidJSON = Code(name: "invalid_json")
        /// A required field is missing or empty.
        public static let missingField = Code(name: "missing_field")
        /// A field has a value of the wrong form.
        public static let invalidField = Code(name: "invalid_field")
        /// A listing page does not have the expected structure.
        public static let invalidListing = Code(name: "invalid_listing")
        /// The file's format is not one Paperboy reads.
        public static let unknownFormat = Code(name: "unknown_format")
        /// The bytes are not well-formed XML (a truncated page, say).
        public static let invalidXML = Code(name: "invalid_xml")
        /// A protocol answered with an error of its own (an OAI-PMH `<error>`, an API error entry).
        public static let protocolError = Code(name: "protocol_error")

        public var description: String { self.name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// The file (or other source) the record came from.
    public var source: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The field at fault, when known.
    public var field: String?
    /// The record's id, when it could be read.
    public var recordID: String?
    /// Why the record was rejected.
    public var reason: String

    /// Creates an error.
    public init(
        _ code: Code,
        source: String,
        line: Int? = nil,
        field: String? = nil,
        recordID: String? = nil,
        reason: String
    ) {
        self.code = code
        self.source = source
        self.line = line
        self.field = field
        self.recordID = recordID
        self.reason = reason
    }

    /// `file:line: [id] field 'x': reason`.
    public var description: String {
        var text = self.source
        if let line { text += ":\(line)" }
        text += ": "
        if let recordID { text += "record \(recordID): " }
        if let field { text += "field '\(field)': " }
        return text + self.reason
    }
}
