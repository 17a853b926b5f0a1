import Foundation

/// BM25F scoring: the simple BM25F of Robertson & Zaragoza, "The Probabilistic Relevance
/// Framework: BM25 and Beyond" (2009), §3.5.
///
/// Per field `f` a term's frequency is normalised by the field's length and weighted:
/// `tf~ = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)`; the term then scores
/// `idf · tf~ / (k1 + tf~)`, with Lucene's non-negative `idf = ln(1 + (N − df + 0.5) / (df + 0.5))`.
/// Field lengths are the one-byte ``FieldNorm`` codes stored per document.
public struct BM25F: Sendable {
    /// Term-frequency saturation.
    public let k1: Float
    /// Per-field weights.
    public let weights: [Float]
    /// Per-field length normalisation.
    public let b: [Float]
    /// Per-field average length over the collection.
    public let averageLengths: [Float]

    /// Creates the scoring function for a collection.
    public init(k1: Float, weights: [Float], b: [Float], averageLengths: [Float]) {
        self.k1 = k1
        self.weights = weights
        self.b = b
        self.averageLengths = averageLengths.map { $0 > 0 ? $0 : 1 }
    }

    /// Creates the scoring function from a schema and the collection's average field lengths.
    public init(schema: IndexSchema, averageLengths: [Float]) {
        self.init(
            k1: schema.k1, weights: schema.fields.map(\.weight), b: schema.fields.map(\.b),
            averageLengths: averageLengths)
    }

    /// Inverse document frequency of a term found in `documentFrequency` of `documentCount` documents.
    public static func idf(documentFrequency: Int, documentCount: Int) -> Float {
        let df = Float(documentFrequency)
        let n = Float(documentCount)
        return Float(log(1 + Double((n - df + 0.5) / (df + 0.5))))
    }

    /// For each field and norm code, `w_f / (1 − b_f + b_f · len / avglen_f)`: a term's `tf~` in a
    /// document is the sum over fields of its frequency times the entry of the document's code.
    /// Fields outside `fields` (when given) weigh nothing.
    public func normFactors(fields: [Int]? = nil) -> [Float] {
        var table = [Float](repeating: 0, count: self.weights.count * 256)
        for field in self.weights.indices where fields?.contains(field) ?? true {
            for code in 0..<256 {
                let length = Float(FieldNorm.lengths[code])
                table[field * 256 + code] =
                    self.weights[field] / (1 - self.b[field] + self.b[field] * length / self.averageLengths[field])
            }
        }
        return table
    }

    /// A term's score from its idf and its `tf~`.
    @inline(__always)
    public func score(idf: Float, pseudoFrequency: Float) -> Float {
        idf * pseudoFrequency / (self.k1 + pseudoFrequency)
    }
}
