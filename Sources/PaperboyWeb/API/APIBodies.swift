import Foundation
import PaperboyModel
import PaperboyServices

/// A comment in the API.
struct APIComment: Codable, Sendable {
    var id: Int64
    var paperId: String
    var parentId: Int64?
    var author: String
    /// The Markdown source; empty when hidden from the caller.
    var body: String
    var createdAt: String
    var editedAt: String?
    var hidden: Bool
    /// Deleted by its author: kept (without text or author) for its replies.
    var deleted: Bool
    var replies: [APIComment]?

    init(_ shown: CommunityService.ShownComment) {
        self.init(shown.comment, author: shown.authorName)
        self.hidden = shown.isHidden
        self.replies = shown.comment.parentID == nil ? shown.replies.map(APIComment.init) : nil
    }

    init(_ comment: Comment, author: String) {
        self.id = comment.id
        self.paperId = comment.paperID.rawValue
        self.parentId = comment.parentID
        self.author = author
        self.body = comment.body
        self.createdAt = Timestamp.iso8601(comment.created)
        self.editedAt = comment.edited.map(Timestamp.iso8601)
        self.hidden = comment.isHidden
        self.deleted = comment.isDeleted
    }
}

/// A collection in the API.
struct APICollection: Codable, Sendable {
    var id: Int64
    var name: String
    var `public`: Bool
    var numPapers: Int
    var createdAt: String
    var url: String
    /// The papers, in the order added (on a single collection's answer).
    var papers: [HFPaper]?

    init(_ collection: PaperCollection, papers: [HFPaper]? = nil) {
        self.id = collection.id
        self.name = collection.name
        self.public = collection.isPublic
        self.numPapers = papers?.count ?? collection.paperCount
        self.createdAt = Timestamp.iso8601(collection.created)
        self.url = "/collections/\(collection.id)"
        self.papers = papers
    }
}

/// The signed-in member in the API.
struct APIMember: Codable, Sendable {
    var id: Int64
    var name: String
    var role: String
}

/// `{"body": …, "parent": …}`.
struct CommentRequest: Decodable {
    var body: String
    var parent: Int64?

    private enum CodingKeys: String, CodingKey {
        case body
        case parent
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.body = try container.decode(String.self, forKey: .body)
        self.parent = try container.decodeAbsentOrValue(Int64.self, forKey: .parent)
    }
}

/// `{"body": …}`: a comment's new text.
struct CommentEditRequest: Decodable {
    var body: String
}

/// `{"name": …, "public": …}`.
struct CollectionRequest: Decodable {
    var name: String
    var `public`: Bool?

    private enum CodingKeys: String, CodingKey {
        case name
        case `public`
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.public = try container.decodeAbsentOrValue(Bool.self, forKey: .public)
    }
}

extension KeyedDecodingContainer {
    /// An optional field that may be left out but, when present, must not be `null`.
    func decodeAbsentOrValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard self.contains(key) else { return nil }
        return try self.decode(T.self, forKey: key)
    }
}

/// `{"paper": "2501.01234"}`.
struct PaperRequest: Decodable {
    var paper: String
}

/// `{"hidden": true}`.
struct HideRequest: Decodable {
    var hidden: Bool
}

/// `{"upvoted": …, "upvotes": …}`.
struct UpvoteAnswer: Codable {
    var upvoted: Bool
    var upvotes: Int
}
