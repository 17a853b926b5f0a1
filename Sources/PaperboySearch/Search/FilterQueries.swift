/// Documents whose keyword field has a value (case-insensitive); scores 0, for filters.
public struct KeywordQuery: Query {
    /// The keyword field's position in the schema.
    public let field: Int
    /// The value.
    public let value: String
    /// Match every value that starts with ``value`` instead.
    public let isPrefix: Bool

    /// Creates the query.
    public init(field: Int, value: String, isPrefix: Bool = false) {
        self.field = field
        self.value = value
        self.isPrefix = isPrefix
    }

    public var terms: [String] { [] }
    public var description: String { "keyword\(self.field):\(self.value)\(self.isPrefix ? "*" : "")" }

    public func weight(_ searcher: Searcher) -> any Weight {
        KeywordWeight(term: SegmentFormat.keywordTerm(field: self.field, value: self.value), isPrefix: self.isPrefix)
    }
}

struct KeywordWeight: Weight {
    let term: [UInt8]
    let isPrefix: Bool

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        if !self.isPrefix {
            guard let info = reader.file.termInfo(self.term) else { return nil }
            return KeywordScorer(reader: reader, info: info)
        }
        var scorers: [any Scorer] = []
        reader.file.terms(withPrefix: self.term) { _, info in
            scorers.append(KeywordScorer(reader: reader, info: info))
            return true
        }
        if scorers.isEmpty { return nil }
        return scorers.count == 1 ? scorers[0] : DisjunctionScorer(scorers)
    }
}

/// A keyword term's documents, deleted ones skipped; scores 0.
final class KeywordScorer: Scorer {
    private let cursor: PostingsCursor
    private let reader: SegmentReader
    private(set) var doc: Int32 = -1
    let maxScore: Float = 0

    init(reader: SegmentReader, info: SegmentFile.TermInfo) {
        self.reader = reader
        self.cursor = PostingsCursor(segment: reader.file, info: info, isText: false, budget: reader.budget)
    }

    var cost: Int { self.cursor.documentFrequency }

    func advance() -> Int32 { self.settle(self.cursor.advance()) }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        return self.settle(self.cursor.seek(target))
    }

    private func settle(_ first: Int32) -> Int32 {
        var doc = first
        while doc != Int32.max, self.reader.isDeleted(doc) { doc = self.cursor.advance() }
        self.doc = doc
        return doc
    }

    func score() -> Float { 0 }
}

/// Documents whose numeric field lies in `range`; scores 0, for filters.
public struct NumericRangeQuery: Query {
    /// The numeric field's position in the schema.
    public let field: Int
    /// The accepted values.
    public let range: ClosedRange<Int64>

    /// Creates the query.
    public init(field: Int, range: ClosedRange<Int64>) {
        self.field = field
        self.range = range
    }

    public var terms: [String] { [] }
    public var description: String { "number\(self.field):[\(self.range.lowerBound) TO \(self.range.upperBound)]" }

    public func weight(_ searcher: Searcher) -> any Weight {
        NumericRangeWeight(field: self.field, range: self.range)
    }
}

struct NumericRangeWeight: Weight {
    let field: Int
    let range: ClosedRange<Int64>

    func scorer(_ reader: SegmentReader) -> (any Scorer)? {
        guard self.field < reader.file.numericWidths.count else { return nil }
        return NumericRangeScorer(reader: reader, field: self.field, range: self.range)
    }
}

/// Scans a segment's numeric column for values in range.
final class NumericRangeScorer: Scorer {
    private let reader: SegmentReader
    private let field: Int
    private let range: ClosedRange<Int64>
    private(set) var doc: Int32 = -1
    let maxScore: Float = 0

    init(reader: SegmentReader, field: Int, range: ClosedRange<Int64>) {
        self.reader = reader
        self.field = field
        self.range = range
    }

    func advance() -> Int32 { self.scan(from: self.doc + 1) }

    func seek(_ target: Int32) -> Int32 {
        if self.doc >= target { return self.doc }
        return self.scan(from: target)
    }

    private func scan(from start: Int32) -> Int32 {
        var doc = start
        let count = Int32(self.reader.file.documentCount)
        while doc < count {
            if !self.reader.isDeleted(doc), let value = self.reader.file.number(doc, field: self.field),
                self.range.contains(value)
            {
                self.doc = doc
                return doc
            }
            doc += 1
        }
        self.doc = Int32.max
        return self.doc
    }

    func score() -> Float { 0 }
}

/// Every live document, scoring 0: the base of a query made only of filters.
public struct MatchAllQuery: Query {
    /// Creates the query.
    public init() {}

    public var terms: [String] { [] }
    public var description: String { "*" }

    public func weight(_ searcher: Searcher) -> any Weight { MatchAllWeight() }
}

struct MatchAllWeight: Weight {
    func scorer(_ reader: SegmentReader) -> (any Scorer)? { MatchAllScorer(reader: reader) }
}

final class MatchAllScorer: Scorer {
    private let reader: SegmentReader
    private(set) var doc: Int32 = -1
    let maxScore: Float = 0

    init(reader: SegmentReader) {
        self.reader = reader
    }

    func advance() -> Int32 { self.seek(self.doc + 1) }

    func seek(_ target: Int32) -> Int32 {
        var doc = max(target, self.doc)
        if doc == self.doc, doc >= 0 { return doc }
        while doc < Int32(self.reader.file.documentCount), self.reader.isDeleted(doc) { doc += 1 }
        self.doc = doc < Int32(self.reader.file.documentCount) ? doc : Int32.max
        return self.doc
    }

    func score() -> Float { 0 }
}
