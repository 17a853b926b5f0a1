/// The one error type of the harvester: a source that could not be fetched or read, saying which
/// URL, which page and why.
public struct HarvestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The server kept failing (5xx, 429, network errors, broken pages) past the retry limit.
        public static let unavailable = Code(name: "unavailable")
        /// The server refused the request (4xx other than 429).
        public static let refused = Code(name: "refused")
        /// The server answered with a protocol error (an OAI-PMH `<error>`, an API error entry).
        public static let protocolError = Code(name: "protocol_error")
        /// The options do not make a valid request.
        public static let invalidRequest = Code(name: "invalid_request")

        public var description: String { self.name }
    }

    /// What kind of failure it is.
    public var code: Code
    /// What failed, naming the URL and the page.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
