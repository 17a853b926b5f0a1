/// Merges segment files into one, renumbering documents in segment order and dropping deleted
/// ones. Runs on immutable inputs, so it can run beside searches and the writer.
enum SegmentMerger {
    /// A source segment and the documents deleted from it when the merge started.
    struct Source {
        var segment: SegmentFile
        var deletions: BitSet?
    }

    /// The merged file's bytes, and for each source the new number of each old document
    /// (-1 for deleted ones).
    static func merge(_ sources: [Source], schema: IndexSchema) -> (bytes: [UInt8], mappings: [[Int32]]) {
        let fieldCount = schema.fields.count
        var keys: [String] = []
        var norms: [UInt8] = []
        var numerics: [[Int64?]] = Array(repeating: [], count: schema.numericFields.count)
        var sums = [UInt64](repeating: 0, count: fieldCount)
        var mappings: [[Int32]] = []
        for source in sources {
            var mapping = [Int32](repeating: -1, count: source.segment.documentCount)
            for doc in 0..<source.segment.documentCount where !(source.deletions?.contains(doc) ?? false) {
                mapping[doc] = Int32(keys.count)
                keys.append(source.segment.key(Int32(doc)))
                for field in 0..<fieldCount {
                    let code = source.segment.norm(Int32(doc), field: field)
                    norms.append(code)
                    sums[field] += UInt64(FieldNorm.lengths[Int(code)])
                }
                for field in 0..<numerics.count {
                    numerics[field].append(source.segment.number(Int32(doc), field: field))
                }
            }
            mappings.append(mapping)
        }
        // Exact length sums are lost to norm quantisation; the sum of the sources' exact sums,
        // scaled by the live share, would drift too. Use the quantised lengths of live documents.
        var serializer = SegmentSerializer(schema: schema, fieldLengthSums: sums, documentCount: keys.count)
        let dictionaries = sources.map { Self.allTerms($0.segment) }
        var cursors = [Int](repeating: 0, count: sources.count)
        var postings = SegmentSerializer.TermPostings()
        while true {
            var smallest: [UInt8]?
            for (source, dictionary) in dictionaries.enumerated() where cursors[source] < dictionary.count {
                let term = dictionary[cursors[source]].term
                if smallest == nil || term.lexicographicallyPrecedes(smallest!) { smallest = term }
            }
            guard let term = smallest else { break }
            postings.removeAll()
            let isText = term.withUnsafeBufferPointer { SegmentFormat.isText($0) }
            for (source, dictionary) in dictionaries.enumerated() where cursors[source] < dictionary.count {
                guard dictionary[cursors[source]].term == term else { continue }
                let info = dictionary[cursors[source]].info
                cursors[source] += 1
                let cursor = PostingsCursor(segment: sources[source].segment, info: info, isText: isText)
                var doc = cursor.advance()
                while doc != Int32.max {
                    let mapped = mappings[source][Int(doc)]
                    if mapped >= 0 {
                        postings.docs.append(UInt32(mapped))
                        if isText {
                            for field in 0..<fieldCount { postings.frequencies.append(cursor.frequency(field: field)) }
                            for field in 0..<fieldCount where cursor.frequency(field: field) > 0 {
                                postings.positions.append(contentsOf: cursor.positions(field: field))
                            }
                        }
                    }
                    doc = cursor.advance()
                }
            }
            if !postings.docs.isEmpty { serializer.addTerm(term, postings, norms: norms) }
        }
        let bytes = serializer.finish(
            keys: keys,
            norms: norms,
            numerics: numerics,
            keywordFieldCount: schema.keywordFields.count,
            fieldLengthSums: sums
        )
        return (bytes, mappings)
    }

    private static func allTerms(_ segment: SegmentFile) -> [(term: [UInt8], info: SegmentFile.TermInfo)] {
        var terms: [(term: [UInt8], info: SegmentFile.TermInfo)] = []
        terms.reserveCapacity(segment.termCount)
        segment.terms(withPrefix: []) { term, info in
            terms.append((term, info))
            return true
        }
        return terms
    }
}
