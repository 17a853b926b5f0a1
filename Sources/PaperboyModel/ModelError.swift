/// The one error type of the model library: a value that failed validation, with a message that
/// names the value and says what is wrong with it.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of value was rejected.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// An arXiv identifier that is neither a new-style nor an old-style id.
        public static let invalidArxivID = Code(name: "invalid_arxiv_id")
        /// A calendar day that is not a real `YYYY-MM-DD` date.
        public static let invalidDay = Code(name: "invalid_day")
        /// A paper identifier that is neither an arXiv id nor a title-derived id.
        public static let invalidPaperID = Code(name: "invalid_paper_id")
        /// A paper that lacks a required field.
        public static let invalidPaper = Code(name: "invalid_paper")
        /// An e-mail address that cannot be one.
        public static let invalidEmail = Code(name: "invalid_email")
        /// A display name that is empty, too long or has control characters.
        public static let invalidName = Code(name: "invalid_name")
        /// A period that is not an ISO week (`2025-W09`) or a month (`2025-02`).
        public static let invalidPeriod = Code(name: "invalid_period")
        /// Text a member wrote (a comment, a collection name) that is empty or too long.
        public static let invalidText = Code(name: "invalid_text")

        public var description: String { self.name }
    }

    /// What kind of value was rejected.
    public let code: Code
    /// A sentence naming the value and the reason, e.g. `"2113.0001": month 13 is not 01–12`.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
