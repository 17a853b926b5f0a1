/// The one error type of the services library: a use case that could not be done, and why, in
/// words a member can read (the web layer shows the message as it is).
public struct ServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure it is; the web layer maps it to a status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// A field of the request is not acceptable (names the field).
        public static let invalidInput = Code(name: "invalid_input")
        /// The request clashes with what exists (an e-mail address already taken).
        public static let conflict = Code(name: "conflict")
        /// Wrong credentials, or no valid session.
        public static let unauthorized = Code(name: "unauthorized")
        /// Too many attempts; try again later.
        public static let rateLimited = Code(name: "rate_limited")
        /// The thing named does not exist (or is not the caller's to see).
        public static let notFound = Code(name: "not_found")
        /// The caller may not do this (another member's comment or collection).
        public static let forbidden = Code(name: "forbidden")
        /// Something this needs is out of reach (fetching a paper from arXiv).
        public static let unavailable = Code(name: "unavailable")
        /// The server has too much of this work in hand just now (password checks); try again.
        public static let busy = Code(name: "busy")
        /// A search query that does not parse (the message names the column).
        public static let invalidQuery = Code(name: "invalid_query")
        /// A search query that asks for more than the limits allow (the message names the limit).
        public static let queryTooLarge = Code(name: "query_too_large")
        /// The search index cannot be read just now (the server's problem; the client may retry).
        public static let indexUnavailable = Code(name: "index_unavailable")

        public var description: String { self.name }
    }

    /// What kind of failure it is.
    public var code: Code
    /// The field at fault, when there is one (`email`, `password`).
    public var field: String?
    /// What went wrong.
    public var message: String
    /// What the server's log should say beyond ``message`` (a network error, an endpoint); never
    /// shown to the client.
    public var detail: String?

    /// Creates an error.
    public init(_ code: Code, field: String? = nil, _ message: String, detail: String? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.detail = detail
    }

    public var description: String { self.message }
}
