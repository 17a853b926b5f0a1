/// The record of one commit, kept as `manifest.json`: which segments (and which of their deletion
/// files) make up the index, the schema it was written with, and the caller's data (such as the
/// store sequence number the index has reached).
struct Manifest: Codable, Equatable {
    struct Segment: Codable, Equatable {
        var name: String
        var documents: Int
        var deletions: Int
        /// The deletion file's name, when the segment has deletions.
        var deletionFile: String?
    }

    var format = 1
    var generation = 0
    var schema: String
    var nextSegment = 0
    var segments: [Segment] = []
    var userData: [String: String] = [:]

    static let fileName = "manifest.json"

    /// The files this commit needs.
    var fileNames: Set<String> {
        var names: Set<String> = [Self.fileName]
        for segment in self.segments {
            names.insert(segment.name + ".seg")
            if let deletions = segment.deletionFile { names.insert(deletions) }
        }
        return names
    }
}
