/// A research paper: what Paperboy lists, searches and mails.
public struct Paper: Hashable, Sendable, Codable {
    /// The paper's key.
    public var id: PaperID
    /// The title, white space collapsed.
    public var title: String
    /// The abstract; empty when the source had none.
    public var abstract: String
    /// The authors in the order the paper gives them.
    public var authors: [Author]
    /// arXiv categories, the primary one first (e.g. `cs.LG`, `stat.ML`); sources sometimes add
    /// MSC or ACM classes, which are kept as given.
    public var categories: [String]
    /// The day the paper was announced (first listed).
    public var announced: CalendarDay
    /// Whether ``announced`` is the real announcement day (a listing page, an announcement feed,
    /// a daily list said so) or an estimate from the first version's submission date (OAI-PMH, the
    /// API, the bulk snapshot). A real day wins over an estimate when records merge.
    public var announcedIsEstimate: Bool
    /// Known versions, oldest first.
    public var versions: [PaperVersion]
    /// Links beyond arXiv's own pages (code, project page, DOI…).
    public var links: [PaperLink]
    /// The authors' comment (`12 pages, 3 figures; accepted at ICML`), if any.
    public var comment: String?
    /// The journal reference once published (`Phys. Rev. D 76, 013009 (2007)`), if any.
    public var journalReference: String?
    /// The licence URL, if the source gave one.
    public var license: String?

    /// Creates a paper.
    public init(
        id: PaperID,
        title: String,
        abstract: String = "",
        authors: [Author] = [],
        categories: [String] = [],
        announced: CalendarDay,
        announcedIsEstimate: Bool = false,
        versions: [PaperVersion] = [],
        links: [PaperLink] = [],
        comment: String? = nil,
        journalReference: String? = nil,
        license: String? = nil
    ) {
        self.id = id
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.categories = categories
        self.announced = announced
        self.announcedIsEstimate = announcedIsEstimate
        self.versions = versions
        self.links = links
        self.comment = comment
        self.journalReference = journalReference
        self.license = license
    }

    /// The id this paper would have if it were known only by its title: how records without an
    /// id (listing pages, some daily-list items) are matched to the record with one.
    public var titleID: PaperID { PaperID(title: self.title) }

    /// The DOI, from the ``PaperLink/Kind/doi`` link, if any.
    public var doi: String? {
        guard let url = self.links.first(where: { $0.kind == .doi })?.url else { return nil }
        return url.hasPrefix(PaperLink.doiResolver) ? String(url.dropFirst(PaperLink.doiResolver.count)) : url
    }

    /// The primary category, if any.
    public var primaryCategory: String? { self.categories.first }

    /// The arXiv id, if the paper has one.
    public var arxivID: ArxivID? { self.id.arxivID }

    /// The latest known version number.
    public var latestVersion: Int? { self.versions.last?.number }
}

/// An author as credited on a paper.
public struct Author: Hashable, Sendable, Codable {
    /// The name as written, e.g. "Ada Lovelace".
    public var name: String

    /// Creates an author.
    public init(name: String) {
        self.name = name
    }
}

/// A link from a paper to something outside arXiv.
public struct PaperLink: Hashable, Sendable, Codable {
    /// What a link points at.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case code, project, dataset, doi, journal, other
    }

    /// What the link points at.
    public var kind: Kind
    /// The absolute URL.
    public var url: String

    /// Creates a link.
    public init(kind: Kind, url: String) {
        self.kind = kind
        self.url = url
    }

    /// A link to a DOI through the doi.org resolver.
    public static func doi(_ doi: String) -> PaperLink {
        PaperLink(kind: .doi, url: Self.doiResolver + doi)
    }

    static let doiResolver = "https://doi.org/"
}
