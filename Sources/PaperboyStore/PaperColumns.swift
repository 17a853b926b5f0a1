import Foundation
public import PaperboyModel

/// How a ``Paper`` maps to the columns of a backend's `paper` table, both ways (every SQL backend
/// keeps the same text columns, so both read and write them alike).
///
/// Lists are JSON arrays, so that SQLite's own JSON functions can read them; authors and
/// categories, the hot ones, are written and read by hand rather than through `Codable`.
public enum PaperColumns {
    /// The columns `SELECT`ed by every paper query, in this order.
    public static let selectList = "id, announced, title, abstract, authors, categories, versions, links, details"

    /// The column values of a paper, in the order of ``selectList``.
    public struct Encoded: Equatable, Sendable {
        public var id: String
        public var announced: String
        public var title: String
        public var abstract: String
        public var authors: String
        public var categories: String
        public var versions: String
        public var links: String
        /// JSON object of the rarely set fields: comment, journal reference, licence, and whether
        /// the announcement day is an estimate.
        public var details: String

        /// Creates the columns.
        public init(
            id: String, announced: String, title: String, abstract: String, authors: String, categories: String,
            versions: String, links: String, details: String
        ) {
            self.id = id
            self.announced = announced
            self.title = title
            self.abstract = abstract
            self.authors = authors
            self.categories = categories
            self.versions = versions
            self.links = links
            self.details = details
        }
    }

    /// The columns of `paper`.
    public static func encode(_ paper: Paper) -> Encoded {
        Encoded(
            id: paper.id.rawValue,
            announced: paper.announced.description,
            title: paper.title,
            abstract: paper.abstract,
            authors: JSONStringArray.encode(paper.authors.map(\.name)),
            categories: JSONStringArray.encode(paper.categories),
            versions: paper.versions.isEmpty ? "[]" : Self.encodeVersions(paper.versions),
            links: paper.links.isEmpty ? "[]" : Self.encodeLinks(paper.links),
            details: Self.encodeDetails(paper)
        )
    }

    /// The `title_id` column as written: `NULL` (computed later, see
    /// ``PaperWriter``'s backfill) for papers with a real id, `''` for title-only papers.
    public static func titleIDOnWrite(_ paper: Paper) -> String? {
        paper.id.isTitleDerived ? "" : nil
    }

    /// `[{"n":1,"t":1175541522},…]`, written by hand (the hot path of bulk ingests); the same
    /// JSON that `StoredVersion`'s `Codable` conformance reads.
    private static func encodeVersions(_ versions: [PaperVersion]) -> String {
        var out = "["
        for (index, version) in versions.enumerated() {
            if index > 0 { out += "," }
            out += "{\"n\":\(version.number)"
            if let submitted = version.submitted { out += ",\"t\":\(Int64(submitted.timeIntervalSince1970.rounded()))" }
            if let title = version.title { out += ",\"ti\":" + JSONStringArray.encodeString(title) }
            if let abstract = version.abstract { out += ",\"ab\":" + JSONStringArray.encodeString(abstract) }
            out += "}"
        }
        return out + "]"
    }

    /// `[{"kind":"doi","url":"…"},…]`, by hand like ``encodeVersions(_:)``.
    private static func encodeLinks(_ links: [PaperLink]) -> String {
        var out = "["
        for (index, link) in links.enumerated() {
            if index > 0 { out += "," }
            out +=
                "{\"kind\":" + JSONStringArray.encodeString(link.kind.rawValue) + ",\"url\":"
                + JSONStringArray.encodeString(link.url) + "}"
        }
        return out + "]"
    }

    private static func encodeDetails(_ paper: Paper) -> String {
        var fields: [(String, String)] = []
        if let comment = paper.comment { fields.append(("comment", comment)) }
        if let reference = paper.journalReference { fields.append(("journal_ref", reference)) }
        if let license = paper.license { fields.append(("license", license)) }
        if fields.isEmpty, !paper.announcedIsEstimate { return "{}" }
        var out = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out += "," }
            out += "\"\(key)\":" + JSONStringArray.encodeString(value)
        }
        if paper.announcedIsEstimate { out += fields.isEmpty ? "\"estimate\":true" : ",\"estimate\":true" }
        return out + "}"
    }

    private struct StoredDetails: Decodable {
        var comment: String?
        var journal_ref: String?
        var license: String?
        var estimate: Bool?
    }

    /// The paper these columns hold.
    /// - Throws: ``StoreError/Code/corruptRow`` naming the paper and the column.
    public static func decode(_ row: Encoded) throws(StoreError) -> Paper {
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
        var details = StoredDetails()
        if row.details != "{}" {
            guard let decoded = Self.decodeJSON(StoredDetails.self, row.details) else {
                throw corrupt("details", "not a JSON object of details")
            }
            details = decoded
        }
        return Paper(
            id: PaperID(trusted: row.id),
            title: row.title,
            abstract: row.abstract,
            authors: authors.map { Author(name: $0) },
            categories: categories,
            announced: announced,
            announcedIsEstimate: details.estimate ?? false,
            versions: versions,
            links: links,
            comment: details.comment,
            journalReference: details.journal_ref,
            license: details.license
        )
    }

    /// A version as stored: number and whole seconds since 1970.
    /// A version as stored: number, whole seconds since 1970, and the text it had when a later
    /// version changed it.
    private struct StoredVersion: Codable {
        var n: Int
        var t: Int64?
        var ti: String?
        var ab: String?

        init(_ version: PaperVersion) {
            self.n = version.number
            self.t = version.submitted.map { Int64($0.timeIntervalSince1970.rounded()) }
            self.ti = version.title
            self.ab = version.abstract
        }

        var version: PaperVersion {
            PaperVersion(
                number: self.n, submitted: self.t.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                title: self.ti, abstract: self.ab)
        }
    }

    private static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
