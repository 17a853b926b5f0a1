/// The fields of the documents in an index and how BM25F weighs them.
public struct IndexSchema: Hashable, Sendable {
    /// One text field.
    public struct Field: Hashable, Sendable {
        /// The field's name, used in queries (`title:`).
        public var name: String
        /// The field's weight in BM25F: a title counted twice as much as an abstract has 2.
        public var weight: Float
        /// BM25's length normalisation for the field, 0 (none) … 1 (full).
        public var b: Float

        /// Creates a field.
        public init(name: String, weight: Float = 1, b: Float = 0.75) {
            self.name = name
            self.weight = weight
            self.b = b
        }
    }

    /// The fields, in the order of ``Document/fields``.
    public var fields: [Field]
    /// BM25's term-frequency saturation.
    public var k1: Float

    /// Creates a schema.
    public init(fields: [Field], k1: Float = 1.2) {
        precondition(!fields.isEmpty, "a schema needs a field")
        self.fields = fields
        self.k1 = k1
    }

    /// The position of the field called `name`.
    public func fieldIndex(named name: String) -> Int? {
        self.fields.firstIndex { $0.name == name }
    }
}

/// A document to index: a key that identifies it outside the index, and one text per field of
/// the schema.
public struct Document: Hashable, Sendable {
    /// The caller's identifier; adding a document with a key already indexed replaces it.
    public var key: String
    /// The texts, in the schema's field order.
    public var fields: [String]

    /// Creates a document.
    public init(key: String, fields: [String]) {
        self.key = key
        self.fields = fields
    }
}
