/// The fields of the documents in an index: text fields scored with BM25F, keyword fields for
/// exact-match filters, numeric fields for range filters.
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

    /// The text fields, in the order of ``Document/fields``.
    public var fields: [Field]
    /// Keyword fields (exact values, matched case-insensitively), in the order of ``Document/keywords``.
    public var keywordFields: [String]
    /// Numeric fields (one integer per document), in the order of ``Document/numbers``.
    public var numericFields: [String]
    /// BM25's term-frequency saturation.
    public var k1: Float

    /// Creates a schema.
    public init(fields: [Field], keywordFields: [String] = [], numericFields: [String] = [], k1: Float = 1.2) {
        precondition(!fields.isEmpty, "a schema needs a text field")
        precondition(fields.count <= 8, "at most 8 text fields")
        self.fields = fields
        self.keywordFields = keywordFields
        self.numericFields = numericFields
        self.k1 = k1
    }

    /// The position of the text field called `name`.
    public func fieldIndex(named name: String) -> Int? {
        self.fields.firstIndex { $0.name == name }
    }

    /// A short text that changes whenever the schema does; an index written under another schema
    /// must be rebuilt.
    public var fingerprint: String {
        let fields = self.fields.map { "\($0.name)/\($0.weight)/\($0.b)" }.joined(separator: ",")
        return
            "v1;\(fields);k:\(self.keywordFields.joined(separator: ","));n:\(self.numericFields.joined(separator: ","));k1:\(self.k1)"
    }
}

/// A document to index: a key that identifies it outside the index, one text per text field,
/// the values of each keyword field and the value (if any) of each numeric field.
public struct Document: Hashable, Sendable {
    /// The caller's identifier; adding a document with a key already indexed replaces it.
    public var key: String
    /// The texts, in the schema's text-field order.
    public var fields: [String]
    /// The values of each keyword field, in the schema's order.
    public var keywords: [[String]]
    /// The value of each numeric field, in the schema's order.
    public var numbers: [Int64?]

    /// Creates a document.
    public init(key: String, fields: [String], keywords: [[String]] = [], numbers: [Int64?] = []) {
        self.key = key
        self.fields = fields
        self.keywords = keywords
        self.numbers = numbers
    }
}
