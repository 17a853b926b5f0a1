import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// A paper in the shape of Hugging Face's `/api/papers/{id}`, so that clients written for it work.
struct HFPaper: Codable, Sendable {
    struct Author: Codable, Sendable {
        var name: String
    }

    var id: String
    var title: String
    var summary: String
    var authors: [Author]
    /// When the paper was first published: its first version's submission time when known, else
    /// the announcement day.
    var publishedAt: String
    var upvotes: Int
    /// Categories, primary first (an addition to Hugging Face's shape).
    var categories: [String]

    init(_ paper: Paper, upvotes: Int = 0) {
        self.id = paper.id.rawValue
        self.title = paper.title
        self.summary = paper.abstract
        self.authors = paper.authors.map { Author(name: $0.name) }
        if let submitted = paper.versions.first?.submitted {
            self.publishedAt = Timestamp.iso8601(submitted)
        } else {
            self.publishedAt = Timestamp.iso8601(paper.announced)
        }
        self.upvotes = upvotes
        self.categories = paper.categories
    }
}

/// An entry of Hugging Face's `/api/daily_papers` list.
struct HFDailyPaper: Codable, Sendable {
    var paper: HFPaper
    var title: String
    var summary: String
    /// When the paper was listed: its announcement day.
    var publishedAt: String
    var numComments: Int
    /// Who submitted the paper to a list, when someone did.
    var submittedBy: Submitter?

    struct Submitter: Codable, Sendable {
        var name: String
        var fullname: String
    }

    init(_ card: PaperCard) {
        self.init(card.paper, upvotes: card.upvotes, comments: card.comments, submittedBy: card.submitter)
    }

    init(_ paper: Paper, upvotes: Int = 0, comments: Int = 0, submittedBy: String? = nil) {
        self.paper = HFPaper(paper, upvotes: upvotes)
        self.title = paper.title
        self.summary = paper.abstract
        self.publishedAt = Timestamp.iso8601(paper.announced)
        self.numComments = comments
        self.submittedBy = submittedBy.map { Submitter(name: $0, fullname: $0) }
    }
}

/// The body of an API error: `{"error": {"code": …, "message": …}}`.
struct APIErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
    }

    var error: Detail
}
