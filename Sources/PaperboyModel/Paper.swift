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
    /// Known versions, oldest first.
    public var versions: [PaperVersion]
    /// Links beyond arXiv's own pages (code, project page, DOI…).
    public var links: [PaperLink]

    /// Creates a paper.
    public init(
        id: PaperID,
        title: String,
        abstract: String = "",
        authors: [Author] = [],
        categories: [String] = [],
        announced: CalendarDay,
        versions: [PaperVersion] = [],
        links: [PaperLink] = []
    ) {
        self.id = id
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.categories = categories
        self.announced = announced
        self.versions = versions
        self.links = links
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
}
