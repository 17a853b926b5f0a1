import Foundation
import PaperboyModel
import PaperboyServices

/// A comment on a paper's page.
struct CommentView {
    var id: Int64
    var author: String
    var date: String
    var edited: Bool
    /// The body rendered from the safe Markdown subset.
    var html: String
    /// The Markdown source, for the edit form (own comments only).
    var source: String?
    var hidden: Bool
    /// Deleted by its author, kept for its replies.
    var deleted: Bool
    /// Whether the viewer sees a hidden comment's text (its author, moderators).
    var showsText: Bool
    var isOwn: Bool
    var canModerate: Bool
    var isTopLevel: Bool
    var replies: [CommentView]

    init(_ shown: CommunityService.ShownComment, viewer: Member?) {
        let comment = shown.comment
        self.id = comment.id
        self.author = shown.authorName
        self.date = String(Timestamp.iso8601(comment.created).prefix(10))
        self.edited = comment.edited != nil
        self.hidden = shown.isHidden
        self.deleted = comment.isDeleted
        self.showsText = !comment.body.isEmpty
        self.html = SafeMarkdown.html(comment.body)
        self.source = shown.isOwn ? comment.body : nil
        self.isOwn = shown.isOwn
        self.canModerate = viewer?.role == .moderator && !comment.isDeleted
        self.isTopLevel = comment.parentID == nil
        self.replies = shown.replies.map { CommentView($0, viewer: viewer) }
    }
}

/// A collection in a list or a picker.
struct CollectionItemView {
    var id: Int64
    var name: String
    var isPublic: Bool
    var count: Int
    var url: String

    init(_ collection: PaperCollection) {
        self.id = collection.id
        self.name = collection.name
        self.isPublic = collection.isPublic
        self.count = collection.paperCount
        self.url = "/collections/\(collection.id)"
    }
}

/// The page of one collection.
struct CollectionPageView {
    var query: String?
    var csrf: String
    var collection: CollectionItemView
    var isOwner: Bool
    var empty: Bool
    var papers: [PaperItemView]
    var error: String?
}

/// The member's collections.
struct CollectionsPageView {
    var query: String?
    var csrf: String
    var collections: [CollectionItemView]
    var empty: Bool
    var error: String?
    var name: String?
}

/// The submit form.
struct SubmitPageView {
    var query: String?
    var csrf: String
    var paper: String?
    var error: String?
    var canFetch: Bool
}
