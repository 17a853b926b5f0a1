public import Foundation
public import PaperboyModel

/// One page of an arXiv API answer (`export.arxiv.org/api/query`, an Atom feed).
public struct ArxivAPIPage: Sendable {
    /// The papers of the page's entries.
    public var papers: [Paper] = []
    /// Entries that could not be read.
    public var errors: [ParseError] = []
    /// How many results the whole query has (`opensearch:totalResults`).
    public var totalResults: Int?
    /// The index of this page's first result (`opensearch:startIndex`).
    public var startIndex: Int?
    /// How many results a page holds (`opensearch:itemsPerPage`).
    public var itemsPerPage: Int?

    /// Creates an empty page.
    public init() {}
}

/// Reads the arXiv API's Atom feed: `published` (first version), `updated` (this version), the
/// version in the entry id, `arxiv:primary_category` first among the categories, `arxiv:comment`,
/// `arxiv:journal_ref`, `arxiv:doi` and the PDF and DOI links. The API reports a bad query as a
/// feed whose one entry has an `…/api/errors#…` id; that is thrown as a protocol error.
public struct ArxivAPIParser: Sendable {
    /// The page named in errors.
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    /// Reads one page.
    ///
    /// - Throws: ``ParseError`` when the page is not well-formed XML, not an Atom feed, or the
    ///   API's error entry.
    public func parse(_ data: Data) throws(ParseError) -> ArxivAPIPage {
        let feed = try MarkupElement.parse(data, source: self.source)
        guard feed.name == "feed" else {
            throw ParseError(
                .unknownFormat, source: self.source, line: feed.line,
                reason: "expected an Atom <feed>, found <\(feed.name)>")
        }
        var page = ArxivAPIPage()
        page.totalResults = feed.text(of: "totalResults").flatMap { Int($0) }
        page.startIndex = feed.text(of: "startIndex").flatMap { Int($0) }
        page.itemsPerPage = feed.text(of: "itemsPerPage").flatMap { Int($0) }
        for entry in feed.children("entry") {
            let rawID = entry.text(of: "id") ?? ""
            if rawID.contains("/api/errors") {
                throw ParseError(
                    .protocolError, source: self.source, line: entry.line,
                    reason: "arXiv API error: \(entry.text(of: "summary") ?? entry.text(of: "title") ?? rawID)")
            }
            switch self.paper(from: entry) {
            case .success(let paper): page.papers.append(paper)
            case .failure(let error): page.errors.append(error)
            }
        }
        return page
    }

    private func paper(from entry: MarkupElement) -> Result<Paper, ParseError> {
        let rawID = entry.text(of: "id")
        func fail(_ code: ParseError.Code, _ field: String, _ reason: String) -> Result<Paper, ParseError> {
            .failure(
                ParseError(code, source: self.source, line: entry.line, field: field, recordID: rawID, reason: reason))
        }
        guard let rawID else { return fail(.missingField, "id", "is missing") }
        guard let arxivID = try? ArxivID(parsing: rawID) else {
            return fail(.invalidField, "id", "\"\(rawID)\" is not an arXiv abstract URL")
        }
        guard let title = entry.text(of: "title") else { return fail(.missingField, "title", "is missing or empty") }
        guard let publishedText = entry.text(of: "published"), let published = SourceDates.instant(publishedText),
            let day = SourceDates.day(publishedText)
        else { return fail(.invalidField, "published", "is missing or not a date") }
        var versions = [PaperVersion(number: 1, submitted: published)]
        if let number = arxivID.version, number > 1 {
            let updated = entry.text(of: "updated").flatMap(SourceDates.instant)
            versions.append(PaperVersion(number: number, submitted: updated))
        }
        var categories: [String] = []
        if let primary = entry.child("primary_category")?.attributes["term"] { categories.append(primary) }
        for category in entry.children("category") {
            if let term = category.attributes["term"], !categories.contains(term) { categories.append(term) }
        }
        var links: [PaperLink] = []
        if let doi = entry.text(of: "doi") {
            links.append(.doi(doi))
        }
        return .success(
            Paper(
                id: PaperID(arxivID),
                title: title,
                abstract: entry.text(of: "summary") ?? "",
                authors: entry.children("author").compactMap { $0.text(of: "name") }.map { Author(name: $0) },
                categories: categories,
                announced: day,
                announcedIsEstimate: true,
                versions: versions,
                links: links,
                comment: entry.text(of: "comment"),
                journalReference: entry.text(of: "journal_ref")
            ))
    }
}
