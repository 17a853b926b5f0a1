/// Merges segments into one, renumbering documents and dropping deleted ones.
enum SegmentMerger {
    static func merge(_ inputs: [(segment: Segment, deletions: BitSet?)], fieldCount: Int) -> Segment {
        var builder = SegmentBuilder(fieldCount: fieldCount)
        // New numbers for live documents, segment by segment.
        var mappings: [[Int32]] = []
        for (segment, deletions) in inputs {
            var mapping = Array(repeating: Int32(-1), count: segment.documentCount)
            for doc in 0..<segment.documentCount where !(deletions?.contains(doc) ?? false) {
                let base = doc * fieldCount
                mapping[doc] = builder.addDocument(
                    key: segment.keys[doc],
                    lengths: segment.fieldLengths[base..<(base + fieldCount)]
                )
            }
            mappings.append(mapping)
        }
        for (input, mapping) in zip(inputs, mappings) {
            let segment = input.segment
            for (ordinal, term) in segment.terms.enumerated() {
                for index in segment.postingStarts[ordinal]..<segment.postingStarts[ordinal + 1] {
                    let newDoc = mapping[Int(segment.postingDocs[index])]
                    guard newDoc >= 0 else { continue }
                    let base = index * fieldCount
                    builder.addPosting(
                        term: term, doc: newDoc, frequencies: segment.postingFrequencies[base..<(base + fieldCount)])
                }
            }
        }
        return builder.build()
    }
}
