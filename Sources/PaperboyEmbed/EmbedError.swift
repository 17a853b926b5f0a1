/// The one error type of the embedding library: a model folder that cannot be used, with the file
/// and the part of it that is wrong.
public struct EmbedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// A file of the model folder is missing or cannot be read.
        public static let fileUnreadable = Code(name: "file_unreadable")
        /// A file is there but malformed (a bad safetensors header, a config that does not parse).
        public static let fileMalformed = Code(name: "file_malformed")
        /// The model is well formed but not one this library runs (another architecture, a missing
        /// or misshapen tensor).
        public static let unsupportedModel = Code(name: "unsupported_model")

        public var description: String { self.name }
    }

    /// What kind of problem it is.
    public let code: Code
    /// What is wrong and where, e.g. `model.safetensors: tensor 'encoder.layer.0.…' is [384, 383], expected [384, 384]`.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }
}
