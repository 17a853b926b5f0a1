/// The one error type of the search library: a query that cannot be run, with where in the
/// query text the problem is.
public struct SearchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The query text does not parse.
        public static let invalidQuery = Code(name: "invalid_query")
        /// The query asks for more than the parser's limits allow (too long, too many terms or
        /// prefixes).
        public static let queryTooLarge = Code(name: "query_too_large")
        /// The query names a field the index does not have.
        public static let unknownField = Code(name: "unknown_field")
        /// An index file could not be read, written or locked.
        public static let indexUnreadable = Code(name: "index_unreadable")
        /// An index file is damaged (bad checksum, wrong format).
        public static let indexCorrupt = Code(name: "index_corrupt")
        /// Another writer holds the index.
        public static let indexLocked = Code(name: "index_locked")

        public var description: String { self.name }
    }

    /// What kind of problem it is.
    public let code: Code
    /// What is wrong, e.g. `unclosed quote at column 14`.
    public let message: String
    /// The 1-based column of the query text where the problem is, when there is one.
    public let column: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, column: Int? = nil) {
        self.code = code
        self.message = message
        self.column = column
    }

    public var description: String { self.message }
}
