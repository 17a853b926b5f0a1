public import Foundation
public import PaperboyModel

/// How an entry of arXiv's announcement feed came to be listed (`arxiv:announce_type`).
public enum AnnounceType: String, Sendable, Hashable, CaseIterable {
    /// A new paper, announced today.
    case new
    /// A paper of another category cross-listed into this one.
    case cross
    /// A new version of an earlier paper.
    case replace
    /// A new version of an earlier paper cross-listed into this category.
    case replaceCross = "replace-cross"
}

/// One entry of an announcement feed.
public struct FeedEntry: Sendable, Hashable {
    /// The paper as the feed describes it.
    public var paper: Paper
    /// Why the feed lists it.
    public var announceType: AnnounceType
}

/// What an announcement feed held.
public struct FeedPage: Sendable {
    /// The category or categories the feed is for (`cs.LG`, `cs.LG+cs.CV`), from its title.
    public var feedName: String?
    /// The day the feed announces.
    public var day: CalendarDay?
    /// The entries, in feed order.
    public var entries: [FeedEntry] = []
    /// Entries that could not be read.
    public var errors: [ParseError] = []

    /// Creates an empty page.
    public init() {}
}

/// Reads arXiv's daily announcement feeds, RSS 2.0 (`rss.arxiv.org/rss/cs.LG`) and Atom
/// (`rss.arxiv.org/atom/cs.LG`): one entry per new, cross-listed or replaced paper, each with
/// `arxiv:announce_type`, and a description that starts `arXiv:2501.01234v1 Announce Type: new`
/// followed by `Abstract: …`.
///
/// New papers are announced on the feed's day; for cross-lists and replacements the feed's day is
/// only an estimate of the paper's first announcement (it came earlier), so a real day already
/// known wins when the records merge.
public struct ArxivFeedParser: Sendable {
    /// The feed named in errors.
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    /// Reads a feed.
    ///
    /// - Throws: ``ParseError`` when the feed is not well-formed XML, or neither RSS nor Atom.
    public func parse(_ data: Data) throws(ParseError) -> FeedPage {
        let root = try MarkupElement.parse(data, source: self.source)
        var page = FeedPage()
        let items: [MarkupElement]
        switch root.name {
        case "rss":
            guard let channel = root.child("channel") else {
                throw ParseError(.unknownFormat, source: self.source, line: root.line, reason: "RSS without <channel>")
            }
            page.feedName = channel.text(of: "title").map(Self.feedName)
            page.day = (channel.text(of: "pubDate") ?? channel.text(of: "lastBuildDate")).flatMap(SourceDates.day)
            items = channel.children("item")
        case "feed":
            page.feedName = root.text(of: "title").map(Self.feedName)
            page.day = root.text(of: "updated").flatMap(SourceDates.day)
            items = root.children("entry")
        default:
            throw ParseError(
                .unknownFormat, source: self.source, line: root.line,
                reason: "expected an RSS <rss> or Atom <feed>, found <\(root.name)>")
        }
        for item in items {
            switch self.entry(from: item, feedDay: page.day, isAtom: root.name == "feed") {
            case .success(let entry):
                page.entries.append(entry)
                if page.day == nil, entry.announceType == .new { page.day = entry.paper.announced }
            case .failure(let error): page.errors.append(error)
            }
        }
        return page
    }

    /// `cs.LG updates on arXiv.org` → `cs.LG`.
    private static func feedName(_ title: String) -> String {
        title.components(separatedBy: " updates on").first ?? title
    }

    private func entry(from item: MarkupElement, feedDay: CalendarDay?, isAtom: Bool) -> Result<FeedEntry, ParseError> {
        let description = (isAtom ? item.child("summary") : item.child("description"))?.text ?? ""
        let header = Self.header(description)
        let rawID = header.id ?? item.text(of: isAtom ? "id" : "guid") ?? item.text(of: "link")
        func fail(_ code: ParseError.Code, _ field: String, _ reason: String) -> Result<FeedEntry, ParseError> {
            .failure(
                ParseError(code, source: self.source, line: item.line, field: field, recordID: rawID, reason: reason))
        }
        guard let rawID else { return fail(.missingField, "guid", "the entry has no arXiv id") }
        let value = rawID.hasPrefix("oai:") ? String(rawID.split(separator: ":").last ?? "") : rawID
        guard let arxivID = try? ArxivID(parsing: value) else {
            return fail(.invalidField, "guid", "\"\(rawID)\" is not an arXiv id")
        }
        guard let title = item.text(of: "title") else { return fail(.missingField, "title", "is missing or empty") }
        let typeText = item.text(of: "announce_type") ?? header.announceType ?? "new"
        guard let type = AnnounceType(rawValue: typeText) else {
            return fail(.invalidField, "announce_type", "\"\(typeText)\" is not new, cross, replace or replace-cross")
        }
        let dateText = item.text(of: isAtom ? "published" : "pubDate")
        guard let day = dateText.flatMap(SourceDates.day) ?? feedDay else {
            return fail(.missingField, isAtom ? "published" : "pubDate", "the entry has no date")
        }
        let authors: [String]
        if isAtom {
            authors = item.children("author").compactMap { $0.text(of: "name") }
        } else {
            authors = item.text(of: "creator").map(AuthorList.split) ?? []
        }
        let categories: [String] =
            isAtom
            ? item.children("category").compactMap { $0.attributes["term"] }
            : item.children("category").map { TextCleaner.collapseWhitespace($0.text) }.filter { !$0.isEmpty }
        let version = arxivID.version ?? 1
        return .success(
            FeedEntry(
                paper: Paper(
                    id: PaperID(arxivID),
                    title: title,
                    abstract: header.abstract,
                    authors: authors.map { Author(name: $0) },
                    categories: categories,
                    announced: day,
                    announcedIsEstimate: type != .new,
                    versions: version == 1 ? [PaperVersion(number: 1)] : [PaperVersion(number: version)],
                    license: item.text(of: "rights")
                ),
                announceType: type
            ))
    }

    /// The id, announce type and abstract in `arXiv:2501.01234v1 Announce Type: new Abstract: …`.
    static func header(_ description: String) -> (id: String?, announceType: String?, abstract: String) {
        let text = TextCleaner.collapseWhitespace(description)
        guard text.hasPrefix("arXiv:") else { return (nil, nil, text) }
        var id: String?
        var type: String?
        var abstract = text
        if let range = text.range(of: "Abstract:") {
            abstract = TextCleaner.collapseWhitespace(String(text[range.upperBound...]))
            let head = text[..<range.lowerBound].split(separator: " ")
            id = head.first.map { String($0.dropFirst("arXiv:".count)) }
            if let index = head.firstIndex(of: "Type:"), index + 1 < head.endIndex { type = String(head[index + 1]) }
        }
        return (id, type, abstract)
    }
}
