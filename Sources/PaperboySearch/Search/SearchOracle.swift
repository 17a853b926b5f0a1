/// A deliberately simple second way to rank: every posting of every term read in full and summed
/// into one accumulator per document (term at a time), no skipping, no bounds. Tests and
/// `paperboy bench search --verify` check that pruning (``MaxScoreScorer``) returns exactly what it returns.
public enum SearchOracle {
    /// The top `limit` documents for a query made of term clauses (`should` and `must`, any
    /// fields), ranked like ``Searcher/search(_:limit:exhaustive:)``; `nil` for other queries.
    public static func topDocs(_ query: any Query, searcher: Searcher, limit: Int) -> TopDocs? {
        var clauses: [(TermQuery, BooleanQuery.Occur)] = []
        if let term = query as? TermQuery {
            clauses = [(term, .should)]
        } else if let boolean = query as? BooleanQuery {
            for clause in boolean.clauses {
                guard let term = clause.query as? TermQuery, clause.occur == .should || clause.occur == .must else {
                    return nil
                }
                clauses.append((term, clause.occur))
            }
        } else {
            return nil
        }
        var collector = TopScoreCollector(limit: limit)
        let weights = clauses.map { ($0.0.weight(searcher) as! TermWeight, $0.1) }
        let required = weights.filter { $0.1 == .must }.count
        for reader in searcher.segments {
            let count = reader.file.documentCount
            // Per document: the sum of clause scores (added in clause order, as the scorers add
            // them) and how many required clauses matched.
            var scores = [Float](repeating: 0, count: count)
            var matched = [Bool](repeating: false, count: count)
            var requiredMatches = [Int](repeating: 0, count: count)
            for (weight, occur) in weights {
                guard let scorer = weight.termScorer(reader) else { continue }
                var doc = scorer.advance()
                while doc != Int32.max {
                    scores[Int(doc)] += scorer.score()
                    matched[Int(doc)] = true
                    if occur == .must { requiredMatches[Int(doc)] += 1 }
                    doc = scorer.advance()
                }
            }
            collector.setSegment(reader.ordinal)
            for doc in 0..<count where matched[doc] && requiredMatches[doc] == required {
                collector.collect(doc: Int32(doc), score: scores[doc])
            }
        }
        return collector.topDocs(searcher: searcher)
    }
}
