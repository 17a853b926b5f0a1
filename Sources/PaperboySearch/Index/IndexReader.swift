import Foundation

/// Opens the last commit of an index folder for searching, without writing.
public enum IndexReader {
    /// A snapshot of the last commit in `directory`, or `nil` when there is none yet.
    ///
    /// - Throws: ``SearchError`` when a file is damaged or the schema differs.
    public static func open(
        _ directory: IndexDirectory, schema: IndexSchema, analyzer: any Analyzer = EnglishAnalyzer()
    )
        throws(SearchError) -> (searcher: Searcher, userData: [String: String])?
    {
        // A writer may replace the manifest and remove old files while we open; retry then.
        var attempt = 0
        while true {
            attempt += 1
            guard let manifest = try Self.readManifest(directory) else { return nil }
            guard manifest.schema == schema.fingerprint else {
                throw SearchError(.indexCorrupt, "the index \(directory.path) was written with another schema")
            }
            do throws(SearchError) {
                var readers: [SegmentReader] = []
                for (ordinal, entry) in manifest.segments.enumerated() {
                    let file = try SegmentFile(path: directory.filePath(entry.name + ".seg"), name: entry.name)
                    var deletions: BitSet?
                    if let name = entry.deletionFile {
                        guard let bytes = directory.readFile(name), let set = BitSet(serialized: bytes) else {
                            throw SearchError(
                                .indexUnreadable,
                                "index deletion file \(directory.filePath(name)) is missing or damaged")
                        }
                        deletions = set
                    }
                    readers.append(SegmentReader(file: file, deletions: deletions, ordinal: ordinal))
                }
                return (Searcher(schema: schema, segments: readers, analyzer: analyzer), manifest.userData)
            } catch  where error.code == .indexUnreadable && attempt < 5 {
                usleep(20_000)
                continue
            }
        }
    }

    static func readManifest(_ directory: IndexDirectory) throws(SearchError) -> Manifest? {
        guard let bytes = directory.readFile(Manifest.fileName) else { return nil }
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch {
            throw SearchError(
                .indexCorrupt, "the index manifest \(directory.filePath(Manifest.fileName)) is damaged: \(error)")
        }
    }
}
