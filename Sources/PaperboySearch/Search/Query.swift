/// A search request in tree form. A query makes a ``Weight`` for a ``Searcher`` (where
/// collection statistics such as idf are fixed), and the weight makes a ``Scorer`` per segment.
public protocol Query: Sendable, CustomStringConvertible {
    /// The query's weight over `searcher`'s snapshot.
    func weight(_ searcher: Searcher) -> any Weight
    /// The text terms the query matches on, for highlighting.
    var terms: [String] { get }
    /// Tells `visitor` each term a match of the query may contain, in `searcher` (a prefix its
    /// expansions, excluded clauses nothing): the terms to highlight.
    func visitTerms(in searcher: Searcher, _ visitor: (String) -> Void)
}

extension Query {
    public func visitTerms(in searcher: Searcher, _ visitor: (String) -> Void) {
        for term in self.terms { visitor(term) }
    }
}

/// A query bound to one snapshot's statistics.
public protocol Weight {
    /// The scorer over one segment, or `nil` when nothing in it can match.
    func scorer(_ segment: SegmentReader) -> (any Scorer)?
}

/// Iteration over a sorted set of document numbers: `doc` is the current one, `Int32.max`
/// once exhausted, −1 before the first ``advance()``.
public protocol DocSet: AnyObject {
    /// The current document.
    var doc: Int32 { get }
    /// Moves to the next document and returns it.
    func advance() -> Int32
    /// Moves to the first document ≥ `target` and returns it.
    func seek(_ target: Int32) -> Int32
}

extension DocSet {
    /// The document number meaning "no more documents".
    public static var end: Int32 { Int32.max }
}

/// A ``DocSet`` of matching documents that can score the current one.
public protocol Scorer: DocSet {
    /// The score of ``DocSet/doc``.
    func score() -> Float
    /// An upper bound of any score this scorer gives.
    var maxScore: Float { get }
    /// Told that only documents scoring above `score` can still enter the results; a scorer may
    /// then skip the others (``MaxScoreScorer`` does).
    func setMinimumCompetitiveScore(_ score: Float)
}

extension Scorer {
    public func setMinimumCompetitiveScore(_ score: Float) {}
}

/// Where a hit was found: a segment of the snapshot and a document in it.
public struct DocAddress: Hashable, Sendable, Comparable {
    /// The segment's ordinal in the snapshot.
    public var segment: Int
    /// The document number within the segment.
    public var doc: Int32

    public static func < (lhs: DocAddress, rhs: DocAddress) -> Bool {
        (lhs.segment, lhs.doc) < (rhs.segment, rhs.doc)
    }
}
