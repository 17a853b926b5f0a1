public import Foundation
public import PaperboyModel

/// One page of an OAI-PMH `ListRecords` answer from arXiv.
public struct OAIPMHPage: Sendable {
    /// The papers of the page's records.
    public var papers: [Paper] = []
    /// Records the repository reports as deleted (`<header status="deleted">`).
    public var deletions: [PaperID] = []
    /// Records that could not be read, each saying where and why.
    public var errors: [ParseError] = []
    /// The token that asks for the next page; `nil` when this is the last page (an empty token).
    public var resumptionToken: String?
    /// How many records the whole list has, when the repository says.
    public var completeListSize: Int?
    /// How many records came before this page, when the repository says.
    public var cursor: Int?
    /// The repository's clock when it answered (`2025-01-05T10:00:00Z`): the `from` of the next
    /// incremental harvest.
    public var responseDate: String?

    /// Creates an empty page.
    public init() {}

    /// How many records the page held, good, deleted and bad.
    public var recordCount: Int { self.papers.count + self.deletions.count + self.errors.count }
}

/// Reads OAI-PMH `ListRecords` pages in arXiv's two metadata formats: `arXiv` (authors split into
/// key names and fore names, the first version's date) and `arXivRaw` (every version with its
/// date, authors as written). The paper's announcement day is estimated from the first version's
/// submission date.
///
/// See the OAI-PMH 2.0 specification and arXiv's `arXiv.xsd` and `arXivRaw.xsd`.
public struct OAIPMHParser: Sendable {
    /// The page named in errors (a URL, a file).
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    /// Reads one page.
    ///
    /// - Throws: ``ParseError`` when the page is not well-formed XML (`invalidXML`, with the line),
    ///   is not an OAI-PMH answer, or carries an OAI-PMH error other than `noRecordsMatch`
    ///   (`protocolError`, with the error's code and text). Bad records do not throw: they are in
    ///   ``OAIPMHPage/errors``.
    public func parse(_ data: Data) throws(ParseError) -> OAIPMHPage {
        let root = try MarkupElement.parse(data, source: self.source)
        guard root.name == "OAI-PMH" else {
            throw ParseError(
                .unknownFormat, source: self.source, line: root.line,
                reason: "expected an <OAI-PMH> document, found <\(root.name)>")
        }
        var page = OAIPMHPage()
        page.responseDate = root.text(of: "responseDate")
        if let error = root.child("error") {
            let code = error.attributes["code"] ?? "unknown"
            if code == "noRecordsMatch" { return page }
            throw ParseError(
                .protocolError, source: self.source, line: error.line,
                reason: "OAI-PMH error \(code): \(TextCleaner.collapseWhitespace(error.text))")
        }
        guard let list = root.child("ListRecords") else {
            throw ParseError(
                .unknownFormat, source: self.source, line: root.line, reason: "the answer has no <ListRecords>")
        }
        for record in list.children("record") {
            self.read(record, into: &page)
        }
        if let token = list.child("resumptionToken") {
            let value = token.text.trimmingCharacters(in: .whitespacesAndNewlines)
            page.resumptionToken = value.isEmpty ? nil : value
            page.completeListSize = token.attributes["completeListSize"].flatMap { Int($0) }
            page.cursor = token.attributes["cursor"].flatMap { Int($0) }
        }
        return page
    }

    private func read(_ record: MarkupElement, into page: inout OAIPMHPage) {
        let header = record.child("header")
        let identifier = header?.text(of: "identifier")
        func fail(_ code: ParseError.Code, _ field: String?, _ reason: String, id: String? = nil) {
            page.errors.append(
                ParseError(
                    code, source: self.source, line: record.line, field: field, recordID: id ?? identifier,
                    reason: reason))
        }
        if header?.attributes["status"] == "deleted" {
            guard let identifier, let id = Self.paperID(fromIdentifier: identifier) else {
                return fail(.invalidField, "header.identifier", "a deleted record without a readable arXiv identifier")
            }
            page.deletions.append(id)
            return
        }
        guard let metadata = record.child("metadata")?.children.first else {
            return fail(.missingField, "metadata", "the record has no metadata")
        }
        guard let rawID = metadata.text(of: "id") else {
            return fail(.missingField, "id", "is missing")
        }
        let arxivID: ArxivID
        do {
            arxivID = try ArxivID(parsing: rawID)
        } catch {
            return fail(.invalidField, "id", error.message, id: rawID)
        }
        guard let title = metadata.text(of: "title") else {
            return fail(.missingField, "title", "is missing or empty", id: rawID)
        }
        var versions: [PaperVersion] = []
        var authors: [String] = []
        switch metadata.name {
        case "arXivRaw":
            for element in metadata.children("version") {
                guard let label = element.attributes["version"], let number = Int(label.dropFirst()),
                    label.first == "v", number > 0
                else {
                    return fail(.invalidField, "version", "expected version=\"vN\"", id: rawID)
                }
                let date = element.text(of: "date")
                guard let date, let submitted = SourceDates.instant(date) else {
                    return fail(.invalidField, "version v\(number).date", "not a date: \(date ?? "missing")", id: rawID)
                }
                versions.append(PaperVersion(number: number, submitted: submitted))
            }
            authors = metadata.text(of: "authors").map(AuthorList.split) ?? []
        case "arXiv":
            if let created = metadata.text(of: "created") {
                guard let submitted = SourceDates.instant(created) else {
                    return fail(.invalidField, "created", "not a date: \(created)", id: rawID)
                }
                versions.append(PaperVersion(number: 1, submitted: submitted))
            }
            for author in metadata.child("authors")?.children("author") ?? [] {
                let name = AuthorList.name(
                    last: author.text(of: "keyname") ?? "", first: author.text(of: "forenames") ?? "",
                    suffix: author.text(of: "suffix") ?? "")
                if !name.isEmpty { authors.append(name) }
            }
        default:
            return fail(
                .unknownFormat, "metadata", "metadata format <\(metadata.name)> is not arXiv or arXivRaw", id: rawID)
        }
        versions.sort()
        guard let first = versions.first?.submitted else {
            return fail(
                .missingField, metadata.name == "arXiv" ? "created" : "version", "no submission date", id: rawID)
        }
        var links: [PaperLink] = []
        if let doi = metadata.text(of: "doi") {
            for single in doi.split(separator: " ") { links.append(.doi(String(single))) }
        }
        page.papers.append(
            Paper(
                id: PaperID(arxivID),
                title: title,
                abstract: metadata.text(of: "abstract") ?? "",
                authors: authors.map { Author(name: $0) },
                categories: (metadata.text(of: "categories") ?? "").split(separator: " ").map(String.init),
                announced: CalendarDay(first),
                announcedIsEstimate: true,
                versions: versions,
                links: links,
                comment: metadata.text(of: "comments"),
                journalReference: metadata.text(of: "journal-ref"),
                license: metadata.text(of: "license")
            ))
    }

    /// `oai:arXiv.org:0704.0001` → `0704.0001`.
    static func paperID(fromIdentifier identifier: String) -> PaperID? {
        let value = identifier.split(separator: ":", maxSplits: 2).last.map(String.init) ?? identifier
        return (try? ArxivID(parsing: value)).map(PaperID.init)
    }
}
