/// The one error type of the store library and its implementations.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in kind.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The database could not be opened or created.
        public static let unavailable = Code(name: "unavailable")
        /// A schema migration failed.
        public static let migration = Code(name: "migration")
        /// A stored row could not be read back as a value (names the table and the key).
        public static let corruptRow = Code(name: "corrupt_row")
        /// A read or a write failed.
        public static let io = Code(name: "io")
        /// A write would break a uniqueness rule (an e-mail address already taken).
        public static let conflict = Code(name: "conflict")
        /// A write names something that does not exist (a member id).
        public static let notFound = Code(name: "not_found")

        public var description: String { self.name }
    }

    /// What went wrong, in kind.
    public let code: Code
    /// What went wrong and where, e.g. `paper 2101.11408: column announced: "2021-13-01" is not a real date`.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
