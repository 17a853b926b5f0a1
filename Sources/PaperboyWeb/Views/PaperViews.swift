import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// A paper in a list, rendered by ``html`` (a list joins its items' HTML into `{{{papersHTML}}}`).
///
/// Built in Swift rather than as a Mustache partial: a list page holds up to 100 of them, and
/// swift-mustache's reflection and per-character escaping made the partial most of a page's cost.
struct PaperItemView {
    var url: String
    var title: String
    /// The title as HTML with matches marked (search results only).
    var titleHTML: String?
    var authorsLine: String?
    /// The abstract excerpt or search snippet as escaped HTML.
    var excerptHTML: String?
    var categories: [String]
    var sourceURL: String?
    var sourceName: String?
    var pdfURL: String?
    /// The paper's id, to look up its upvotes.
    var id: PaperID
    var upvotes = 0
    /// Whether the visitor upvotes it.
    var upvoted = false
    /// Who submitted it to a list, if anyone.
    var submittedBy: String?
    var comments = 0 { didSet { self.commentsLabel = self.comments == 1 ? "1 comment" : "\(self.comments) comments" } }
    var commentsLabel = "0 comments"
    /// Where the "remove from collection" button posts (the collection's owner only).
    var removeAction: String?
    /// Where the upvote button posts.
    var upvoteAction: String
    /// The visitor's form token.
    var csrf = ""

    init(_ paper: Paper, excerptCharacters: Int = 320) {
        self.id = paper.id
        self.upvoteAction = PaperLinks.page(paper.id) + "/upvote"
        self.url = PaperLinks.page(paper.id)
        self.title = paper.title
        self.authorsLine = PaperLinks.authorsLine(paper.authors, max: 8)
        self.excerptHTML = paper.abstract.isEmpty ? nil : HTML.excerpt(paper.abstract, maxCharacters: excerptCharacters)
        self.categories = Array(paper.categories.prefix(4))
        (self.sourceName, self.sourceURL) = PaperLinks.source(paper.id)
        self.pdfURL = paper.arxivID?.pdfURL
    }

    /// The item of a card: the paper and what the community did with it.
    init(_ card: PaperCard) {
        self.init(card.paper)
        self.show(card)
    }

    /// Shows a card's upvotes, comments, submitter and the viewer's own upvote.
    mutating func show(_ card: PaperCard) {
        self.upvotes = card.upvotes
        self.comments = card.comments
        self.submittedBy = card.submitter
        self.upvoted = card.upvotedByViewer
    }

    init(_ result: PaperSearch.Result) {
        self.init(result.paper)
        self.titleHTML = HTML.render(result.title)
        self.excerptHTML = result.paper.abstract.isEmpty ? nil : HTML.render(result.abstract)
    }

    /// The item as an `<article>`: an upvote button, the linked title, authors, the excerpt, and a
    /// line of categories, links, comments and who submitted it.
    var html: String {
        let url = HTML.escape(self.url)
        let csrf = HTML.escape(self.csrf)
        var html = "<article class=\"paper\">\n  <form class=\"upvote\" method=\"post\" action=\""
        html += HTML.escape(self.upvoteAction) + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + csrf
        html += "\"><button type=\"submit\" aria-pressed=\"" + (self.upvoted ? "true" : "false")
        html += "\" title=\"Upvote\">▲ <span class=\"count\">\(self.upvotes)</span></button></form>\n"
        html += "  <h3><a href=\"" + url + "\">" + (self.titleHTML ?? HTML.escape(self.title)) + "</a></h3>\n"
        if let authorsLine { html += "  <p class=\"authors\">" + HTML.escape(authorsLine) + "</p>\n" }
        if let excerptHTML { html += "  <p class=\"abstract\">" + excerptHTML + "</p>\n" }
        html += "  <p class=\"meta\">\n    "
        for category in self.categories {
            let category = HTML.escape(category)
            html += "<a class=\"category\" href=\"/categories/" + category + "\">" + category + "</a> "
        }
        if let sourceURL {
            html += "<a href=\"" + HTML.escape(sourceURL) + "\">" + HTML.escape(self.sourceName ?? "") + "</a> · "
        }
        if let pdfURL { html += "<a href=\"" + HTML.escape(pdfURL) + "\">PDF</a> · " }
        html += "<a href=\"" + url + "#comments\">" + self.commentsLabel + "</a>"
        if let submittedBy {
            html += " · <span class=\"submitter\">Submitted by " + HTML.escape(submittedBy) + "</span>"
        }
        html += "\n  </p>\n"
        if let removeAction {
            html += "  <form class=\"remove\" method=\"post\" action=\"" + HTML.escape(removeAction)
            html += "\"><input type=\"hidden\" name=\"csrf\" value=\"" + csrf
            html += "\"><input type=\"hidden\" name=\"paper\" value=\"" + HTML.escape(self.id.rawValue)
            html += "\"><button type=\"submit\">Remove from collection</button></form>\n"
        }
        return html + "</article>\n"
    }
}

/// Links and labels derived from a paper's identity.
enum PaperLinks {
    /// The paper's page on this site.
    static func page(_ id: PaperID) -> String { "/papers/" + id.pathComponent }

    /// Where the paper comes from: arXiv, another registry, or nowhere known.
    static func source(_ id: PaperID) -> (name: String?, url: String?) {
        if let arxiv = id.arxivID { return ("arXiv", arxiv.abstractURL) }
        if let url = id.registryURL, let scheme = id.scheme {
            let names = [
                "openalex": "OpenAlex", "s2": "Semantic Scholar", "doi": "DOI", "pubmed": "PubMed", "pmid": "PubMed",
            ]
            return (names[scheme] ?? scheme, url)
        }
        return (nil, nil)
    }

    /// An author's page.
    static func author(_ name: String) -> String {
        "/authors/"
            + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? name)
    }

    /// "A, B, C and 5 more".
    static func authorsLine(_ authors: [Author], max: Int) -> String? {
        guard !authors.isEmpty else { return nil }
        let shown = authors.prefix(max).map(\.name).joined(separator: ", ")
        return authors.count > max ? "\(shown) and \(authors.count - max) more" : shown
    }
}

/// A link to another day.
struct DayLinkView {
    var iso: String
    var label: String

    init(_ day: CalendarDay) {
        self.iso = day.description
        self.label = day.shortHeading + (day.year == CalendarDay.today().year ? "" : ", \(day.year)")
    }
}

/// The daily page.
struct DailyPageView {
    var query: String?
    var heading: String
    var longHeading: String
    var isoDate: String
    var count: Int?
    var empty: Bool
    var previous: DayLinkView?
    var next: DayLinkView?
    var papers: [PaperItemView]
}

/// A paper's own page.
struct PaperPageView {
    struct AuthorView {
        var name: String
        var url: String
        var last: Bool
    }

    struct VersionView {
        var number: Int
        var submitted: String?
        /// What the next version changed, when this version's text is known to differ.
        var changes: ChangesView?
    }

    struct ChangesView {
        var next: Int
        var title: DiffView?
        var abstract: DiffView?
    }

    struct DiffView {
        var segments: [SegmentView]
    }

    struct SegmentView {
        var text: String
        var same: Bool
        var removed: Bool
        var added: Bool

        static func from(_ diff: WordDiff) -> DiffView? {
            guard diff.hasChanges else { return nil }
            return DiffView(
                segments: diff.segments.map {
                    SegmentView(
                        text: $0.text, same: $0.kind == .same, removed: $0.kind == .removed, added: $0.kind == .added)
                })
        }
    }

    struct LinkView {
        var kind: String
        var url: String
    }

    var query: String?
    var id: String
    /// The paper's page, the id percent-encoded (forms inside comment sections, where `id` is the
    /// comment's, post to it too).
    var pagePath: String
    /// The paper's API object.
    var apiPath: String
    var title: String
    var abstract: String?
    var hasAuthors: Bool
    var authors: [AuthorView]
    var categories: [String]
    var isoDate: String
    var longHeading: String
    var sourceURL: String?
    var sourceName: String?
    var pdfURL: String?
    var links: [LinkView]
    var hasVersions: Bool
    var versions: [VersionView]
    var upvotes = 0
    var upvoted = false
    var upvoteAction: String
    var csrf = ""
    /// The upvotes of the last 30 days as an inline SVG.
    var sparklineSVG: String?
    /// Who put it on a list.
    var submittedBy: String?
    var submittedOn: String?
    var signedIn = false
    var comments: [CommentView] = []
    var commentCount = 0
    /// The viewer's collections, for "add to collection".
    var collections: [CollectionItemView] = []
    var hasCollections = false
    var comment: String?
    var journalReference: String?
    var doi: String?
    var doiURL: String?
    var hasDetails: Bool
    /// Papers like this one.
    var similar: [SimilarView] = []
    var hasSimilar = false
    /// Whether they were found by words (the paper has no vector yet).
    var similarByWords = false

    /// A paper like this one.
    struct SimilarView {
        var url: String
        var title: String
        /// The similarity as shown (cosine for vectors, BM25F for words).
        var similarity: String
        var similarityTitle: String
    }

    init(_ paper: Paper) {
        self.upvoteAction = PaperLinks.page(paper.id) + "/upvote"
        self.id = paper.id.rawValue
        self.pagePath = PaperLinks.page(paper.id)
        self.apiPath = "/api" + PaperLinks.page(paper.id)
        self.title = paper.title
        self.abstract = paper.abstract.isEmpty ? nil : paper.abstract
        self.hasAuthors = !paper.authors.isEmpty
        self.authors = paper.authors.enumerated().map {
            AuthorView(name: $1.name, url: PaperLinks.author($1.name), last: $0 == paper.authors.count - 1)
        }
        self.categories = paper.categories
        self.isoDate = paper.announced.description
        self.longHeading = paper.announced.longHeading
        (self.sourceName, self.sourceURL) = PaperLinks.source(paper.id)
        self.pdfURL = paper.arxivID?.pdfURL
        self.links = paper.links.filter { $0.url.hasPrefix("https://") || $0.url.hasPrefix("http://") }.map {
            LinkView(kind: $0.kind.rawValue, url: $0.url)
        }
        self.hasVersions = !paper.versions.isEmpty
        self.versions = Self.versions(of: paper)
        self.comment = paper.comment
        self.journalReference = paper.journalReference
        self.doi = paper.doi
        self.doiURL = paper.links.first { $0.kind == .doi }?.url
        self.hasDetails = paper.comment != nil || paper.journalReference != nil || paper.doi != nil
        self.links.removeAll { $0.kind == PaperLink.Kind.doi.rawValue }
    }

    /// The versions, newest first, each kept text compared with the next version's.
    private static func versions(of paper: Paper) -> [VersionView] {
        let versions = paper.versions
        var views: [VersionView] = []
        for (index, version) in versions.enumerated() {
            var view = VersionView(
                number: version.number, submitted: version.submitted.map { String(Timestamp.iso8601($0).prefix(10)) })
            if version.title != nil || version.abstract != nil {
                // The next version's text: its own kept text, or the paper's current text.
                let later = versions[(index + 1)...]
                let nextTitle = later.first { $0.title != nil }?.title ?? paper.title
                let nextAbstract = later.first { $0.abstract != nil }?.abstract ?? paper.abstract
                let changes = ChangesView(
                    next: later.first?.number ?? version.number + 1,
                    title: version.title.flatMap { SegmentView.from(WordDiff(from: $0, to: nextTitle)) },
                    abstract: version.abstract.flatMap { SegmentView.from(WordDiff(from: $0, to: nextAbstract)) })
                if changes.title != nil || changes.abstract != nil { view.changes = changes }
            }
            views.append(view)
        }
        return views.reversed()
    }
}

/// The search page.
struct SearchPageView {
    var query: String?
    /// What is wrong with a malformed query.
    var error: String?
    /// Set while the index is still being built after start-up.
    var indexing: String?
    /// Set when the query ran out of its time and the results are the best of part of the papers.
    var partial: String?
    var queryURL: String
    var totalLabel: String
    var empty: Bool
    var results: [PaperItemView]
    var previousPage: Int?
    var nextPage: Int?
    /// The switch between search modes.
    var modes: [ModeLink] = []
    /// Why the mode asked for did not run.
    var modeNote: String?
    /// The mode kept in the page links (escaped for an attribute).
    var pageSuffix = ""

    /// One mode of the switch.
    struct ModeLink {
        var label: String
        var mode: String
        var url: String
        var current: Bool
        var available: Bool
    }
}

/// An error page.
struct ErrorPageView {
    var query: String?
    var status: Int
    var reason: String
    var message: String
}

/// Any list of papers: a day, a week, a month, trending, a category, an author.
struct ListPageView {
    struct LinkView {
        var url: String
        var label: String
        var current = false
    }

    var query: String?
    var kicker: String
    var heading: String
    var subheading: String?
    var isoDate: String?
    /// Links to the period before and after, when the list is a period.
    var previous: LinkView?
    var next: LinkView?
    var hasPeriodNavigation = false
    /// Day · Week · Month · Trending.
    var views: [LinkView] = [] { didSet { self.hasViews = !self.views.isEmpty } }
    /// Newest · Trending.
    var sorts: [LinkView] = [] { didSet { self.hasSorts = !self.sorts.isEmpty } }
    /// Stored, not computed: templates see stored properties only.
    var hasViews = false
    var hasSorts = false
    /// The category filter form, when the list has one.
    var filter: FilterView?
    var feedAtom: String
    var feedJSON: String
    /// An SVG chart (the month's categories).
    var chartSVG: String?
    var empty: Bool
    var emptyMessage: String
    var papers: [PaperItemView]
    var previousPage: String?
    var nextPage: String?

    struct FilterView {
        struct Field {
            var name: String
            var value: String
        }

        var action: String
        var category: String
        var hidden: [Field]
        var clearURL: String?
    }
}
