import Foundation
import PaperboyModel
import PaperboyStore

/// How a ``Paper`` maps to the columns of the `paper` table, both ways.
///
/// Lists are JSON arrays, so that SQLite's own JSON functions can read them; authors and
/// categories, the hot ones, are written and read by hand rather than through `Codable`.
enum PaperColumns {
    /// The columns `SELECT`ed by every paper query, in this order.
    static let selectList = "id, announced, title, abstract, authors, categories, versions, links"

    /// The column values of a paper, in the order of ``selectList``.
    struct Encoded: Equatable {
        var id: String
        var announced: String
        var title: String
        var abstract: String
        var authors: String
        var categories: String
        var versions: String
        var links: String
    }

    static func encode(_ paper: Paper) -> Encoded {
        Encoded(
            id: paper.id.rawValue,
            announced: paper.announced.description,
            title: paper.title,
            abstract: paper.abstract,
            authors: JSONStringArray.encode(paper.authors.map(\.name)),
            categories: JSONStringArray.encode(paper.categories),
            versions: paper.versions.isEmpty ? "[]" : Self.encodeJSON(paper.versions.map(StoredVersion.init)),
            links: paper.links.isEmpty ? "[]" : Self.encodeJSON(paper.links)
        )
    }

    static func decode(_ row: Encoded) throws(StoreError) -> Paper {
        func corrupt(_ column: String, _ reason: String) -> StoreError {
            StoreError(.corruptRow, "paper \(row.id): column \(column): \(reason)")
        }
        let announced: CalendarDay
        do {
            announced = try CalendarDay(parsing: row.announced)
        } catch {
            throw corrupt("announced", error.message)
        }
        guard let authors = JSONStringArray.decode(row.authors) else {
            throw corrupt("authors", "not a JSON array of strings")
        }
        guard let categories = JSONStringArray.decode(row.categories) else {
            throw corrupt("categories", "not a JSON array of strings")
        }
        var versions: [PaperVersion] = []
        if row.versions != "[]" {
            guard let stored = Self.decodeJSON([StoredVersion].self, row.versions) else {
                throw corrupt("versions", "not a JSON array of versions")
            }
            versions = stored.map(\.version)
        }
        var links: [PaperLink] = []
        if row.links != "[]" {
            guard let decoded = Self.decodeJSON([PaperLink].self, row.links) else {
                throw corrupt("links", "not a JSON array of links")
            }
            links = decoded
        }
        return Paper(
            id: PaperID(trusted: row.id),
            title: row.title,
            abstract: row.abstract,
            authors: authors.map { Author(name: $0) },
            categories: categories,
            announced: announced,
            versions: versions,
            links: links
        )
    }

    /// A version as stored: number and whole seconds since 1970.
    private struct StoredVersion: Codable {
        var n: Int
        var t: Int64?

        init(_ version: PaperVersion) {
            self.n = version.number
            self.t = version.submitted.map { Int64($0.timeIntervalSince1970.rounded()) }
        }

        var version: PaperVersion {
            PaperVersion(number: self.n, submitted: self.t.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }

    private static func encodeJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    private static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
