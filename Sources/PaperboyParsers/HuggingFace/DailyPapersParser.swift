public import Foundation
public import PaperboyModel

/// One item of a Hugging Face daily-papers list.
public struct DailyPaperItem: Sendable, Hashable {
    /// The paper.
    public var paper: Paper
    /// Upvotes on Hugging Face when the list was fetched.
    public var upvotes: Int
    /// Comments on Hugging Face when the list was fetched.
    public var commentCount: Int
    /// Who put the paper on the list (`fullname`, else the user name), if known.
    public var submittedBy: String?
}

/// What a daily-papers list held.
public struct DailyPapersPage: Sendable {
    /// The items in list order.
    public var items: [DailyPaperItem] = []
    /// Items that could not be read.
    public var errors: [ParseError] = []

    /// Creates an empty page.
    public init() {}
}

/// Reads Hugging Face's `/api/daily_papers` JSON: an array of
/// `{paper: {id, title, summary, authors: [{name}], publishedAt, upvotes, githubRepo?, projectPage?},
/// title, summary, publishedAt, numComments, submittedBy: {fullname, name}}`.
///
/// The paper's day on the list is the item's `publishedAt` (when it joined the daily list); an
/// item without an arXiv id gets a title id and merges into the arXiv record when one arrives.
public struct DailyPapersParser: Sendable {
    /// The file named in errors.
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    private struct Item: Decodable {
        struct Person: Decodable {
            var name: String?
            var fullname: String?
        }

        struct Inner: Decodable {
            var id: String?
            var title: String?
            var summary: String?
            var authors: [Person]?
            var publishedAt: String?
            var submittedOnDailyAt: String?
            var upvotes: Int?
            var githubRepo: String?
            var projectPage: String?
        }

        var paper: Inner?
        var title: String?
        var summary: String?
        var publishedAt: String?
        var numComments: Int?
        var submittedBy: Person?
    }

    /// Reads a list.
    ///
    /// - Throws: ``ParseError`` when the text is not a JSON array of objects; an item that is an
    ///   object but lacks what a paper needs is reported in ``DailyPapersPage/errors``.
    public func parse(_ data: Data) throws(ParseError) -> DailyPapersPage {
        let items: [Item]
        do {
            items = try JSONDecoder().decode([Item].self, from: data)
        } catch let error as DecodingError {
            let path: String
            let detail: String
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
                detail = context.debugDescription
            case .keyNotFound(let key, let context):
                path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
                detail = "\(key.stringValue) is missing"
            @unknown default:
                path = ""
                detail = "\(error)"
            }
            throw ParseError(
                .invalidJSON, source: self.source, field: path.isEmpty ? nil : path,
                reason: "not a daily-papers list: \(detail)")
        } catch {
            throw ParseError(.invalidJSON, source: self.source, reason: "not a daily-papers list: \(error)")
        }
        var page = DailyPapersPage()
        for (index, item) in items.enumerated() {
            switch self.item(item, index: index) {
            case .success(let parsed): page.items.append(parsed)
            case .failure(let error): page.errors.append(error)
            }
        }
        return page
    }

    private func item(_ item: Item, index: Int) -> Result<DailyPaperItem, ParseError> {
        let inner = item.paper
        func fail(_ code: ParseError.Code, _ field: String, _ reason: String) -> Result<DailyPaperItem, ParseError> {
            .failure(
                ParseError(
                    code, source: self.source, field: "[\(index)].\(field)", recordID: inner?.id, reason: reason))
        }
        let title = TextCleaner.collapseWhitespace(inner?.title ?? item.title ?? "")
        guard !title.isEmpty else { return fail(.missingField, "paper.title", "is missing or empty") }
        let id: PaperID
        if let raw = inner?.id, !raw.isEmpty {
            do {
                id = try PaperID(parsing: raw)
            } catch {
                return fail(.invalidField, "paper.id", error.message)
            }
        } else {
            id = PaperID(title: title)
        }
        let dateText = item.publishedAt ?? inner?.submittedOnDailyAt ?? inner?.publishedAt
        guard let dateText, let day = SourceDates.day(dateText) else {
            return fail(.missingField, "publishedAt", "is missing or not a date")
        }
        var links: [PaperLink] = []
        if let repo = inner?.githubRepo, repo.hasPrefix("http") { links.append(PaperLink(kind: .code, url: repo)) }
        if let project = inner?.projectPage, project.hasPrefix("http") {
            links.append(PaperLink(kind: .project, url: project))
        }
        let paper = Paper(
            id: id,
            title: title,
            abstract: TextCleaner.collapseWhitespace(inner?.summary ?? item.summary ?? ""),
            authors: (inner?.authors ?? []).compactMap { $0.name.map(TextCleaner.collapseWhitespace) }
                .filter { !$0.isEmpty }.map { Author(name: $0) },
            announced: day,
            links: links
        )
        return .success(
            DailyPaperItem(
                paper: paper, upvotes: inner?.upvotes ?? 0, commentCount: item.numComments ?? 0,
                submittedBy: item.submittedBy.flatMap { $0.fullname ?? $0.name }))
    }
}
