public import Foundation
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

/// Comments, collections and submissions with their rules: members edit and delete their own
/// comments, moderators hide any; a private collection is its owner's alone (to anyone else it
/// does not exist); a submission names a real arXiv paper, fetched when the store lacks it.
public struct CommunityService: Sendable {
    /// A comment with its author's name, ready to show.
    public struct ShownComment: Sendable {
        /// The comment; its body is empty when hidden from the viewer.
        public var comment: Comment
        /// The author's display name.
        public var authorName: String
        /// Whether the viewer may edit and delete it.
        public var isOwn: Bool
        /// Whether a moderator hid it (the viewer, unless a moderator, does not see its text).
        public var isHidden: Bool
        /// Replies, oldest first (top-level comments only).
        public var replies: [ShownComment]
    }

    /// Where comments, collections and submissions live.
    let community: any CommunityStore
    /// The papers.
    let papers: any PaperStore
    /// Names of commenters and submitters.
    let members: any MemberStore
    /// Where unknown papers are fetched from; `nil` when this site cannot fetch.
    public let source: (any PaperSource)?
    /// How long a submission waits for its paper to be fetched, retries included.
    public var fetchDeadline: Duration = .seconds(15)
    /// How many comments, edits, submissions and new collections a member may make a minute
    /// (twice as many at once); `nil` for no limit. Moderators are not limited.
    public let postsPerMinute: Int?
    private let postLimiter: AttemptLimit?

    /// Creates the service.
    ///
    /// - Parameter postsPerMinute: the members' posting limit (default 10 a minute, 20 at once);
    ///   `nil` or 0 for none.
    public init(
        community: any CommunityStore, papers: any PaperStore, members: any MemberStore, source: (any PaperSource)?,
        rateLimits: (any RateLimitStore)? = nil, postsPerMinute: Int? = 10
    ) {
        self.community = community
        self.papers = papers
        self.members = members
        self.source = source
        let limit = postsPerMinute.flatMap { $0 > 0 ? $0 : nil }
        self.postsPerMinute = limit
        self.postLimiter = limit.map {
            AttemptLimit("post.member", capacity: 2 * $0, perMinute: Double($0), shared: rateLimits)
        }
    }

    /// Takes one post from the member's allowance.
    ///
    /// - Throws: ``ServiceError`` `rateLimited` when it is used up.
    private func checkPostingRate(of member: Member, now: Date) async throws {
        guard let limiter = self.postLimiter, let limit = self.postsPerMinute, member.role != .moderator else { return }
        guard try await limiter.allow("member:\(member.id)", at: now) else {
            throw ServiceError(
                .rateLimited,
                "you are posting faster than this site allows (\(limit) comments, edits, submissions or collections a minute); try again in a minute"
            )
        }
    }

    // MARK: Comments

    /// A paper's comments as threads, as `viewer` may see them.
    public func thread(of paperID: PaperID, viewer: Member?) async throws -> [ShownComment] {
        let comments = try await self.community.comments(paperID: paperID)
        let names = try await self.members.members(ids: comments.map(\.memberID)).mapValues(\.displayName)
        func shown(_ comment: Comment) -> ShownComment {
            var visible = comment
            if comment.isDeleted {
                // Kept for its replies: nothing of it shows, not even who wrote it.
                return ShownComment(
                    comment: visible, authorName: "[deleted]", isOwn: false, isHidden: false, replies: [])
            }
            let seesHidden = viewer?.role == .moderator || viewer?.id == comment.memberID
            if comment.isHidden && !seesHidden { visible.body = "" }
            return ShownComment(
                comment: visible, authorName: names[comment.memberID] ?? "a former member",
                isOwn: viewer?.id == comment.memberID, isHidden: comment.isHidden, replies: [])
        }
        var threads: [ShownComment] = []
        var index: [Int64: Int] = [:]
        for comment in comments where comment.parentID == nil {
            index[comment.id] = threads.count
            threads.append(shown(comment))
        }
        for comment in comments {
            if let parent = comment.parentID, let position = index[parent] {
                threads[position].replies.append(shown(comment))
            }
        }
        return threads
    }

    /// Adds a comment; a reply to a reply joins its thread (threads are one level deep).
    ///
    /// - Throws: ``ServiceError`` `invalidInput` for the text, `notFound` for an unknown paper or
    ///   a parent that is not a comment on this paper, `rateLimited` past the posting limit.
    public func addComment(
        to paperID: PaperID, by member: Member, body: String, replyingTo parentID: Int64? = nil, now: Date = Date()
    ) async throws -> Comment {
        let text = try Self.checked { () throws(ModelError) in try Comment.checkedBody(body) }
        try await self.checkPostingRate(of: member, now: now)
        guard try await self.papers.paper(id: paperID) != nil else {
            throw ServiceError(.notFound, "no paper with id \(paperID) is stored here")
        }
        var parent: Int64?
        if let parentID {
            guard let comment = try await self.community.comment(id: parentID) else {
                throw ServiceError(.notFound, field: "parent", "comment \(parentID) does not exist")
            }
            guard comment.paperID == paperID else {
                throw ServiceError(.notFound, field: "parent", "comment \(parentID) is not about paper \(paperID)")
            }
            parent = comment.parentID ?? comment.id
        }
        return try await self.community.addComment(
            paperID: paperID, memberID: member.id, parentID: parent, body: text, at: now)
    }

    /// Replaces the text of the member's own comment.
    ///
    /// - Throws: ``ServiceError`` `notFound`, `forbidden` for someone else's comment, `invalidInput`,
    ///   `rateLimited`.
    public func editComment(_ id: Int64, by member: Member, body: String, now: Date = Date()) async throws -> Comment {
        let comment = try await self.ownComment(id, of: member)
        try await self.checkPostingRate(of: member, now: now)
        let text = try Self.checked { () throws(ModelError) in try Comment.checkedBody(body) }
        try await self.community.updateComment(id: id, body: text, at: now)
        var edited = comment
        edited.body = text
        edited.edited = now
        return edited
    }

    /// Deletes the member's own comment; replies by others stay, under a "[deleted]" mark.
    ///
    /// - Throws: ``ServiceError`` `notFound`, `forbidden` for someone else's comment.
    public func deleteComment(_ id: Int64, by member: Member) async throws -> Comment {
        let comment = try await self.ownComment(id, of: member)
        try await self.community.deleteComment(id: id)
        return comment
    }

    /// Hides a comment from everyone but moderators and its author, or shows it again.
    ///
    /// - Throws: ``ServiceError`` `forbidden` unless the member is a moderator; `notFound`.
    public func setHidden(_ id: Int64, hidden: Bool, by member: Member) async throws -> Comment {
        guard member.role == .moderator else {
            throw ServiceError(.forbidden, "only moderators can hide comments")
        }
        guard var comment = try await self.community.comment(id: id), !comment.isDeleted else {
            throw ServiceError(.notFound, "comment \(id) does not exist")
        }
        try await self.community.setCommentHidden(id: id, hidden: hidden)
        comment.isHidden = hidden
        return comment
    }

    private func ownComment(_ id: Int64, of member: Member) async throws -> Comment {
        guard let comment = try await self.community.comment(id: id), !comment.isDeleted else {
            throw ServiceError(.notFound, "comment \(id) does not exist")
        }
        guard comment.memberID == member.id else {
            throw ServiceError(.forbidden, "comment \(id) is another member's; only its author can change it")
        }
        return comment
    }

    // MARK: Collections

    /// Makes a collection.
    ///
    /// - Throws: ``ServiceError`` `invalidInput` for the name, `rateLimited` past the posting limit.
    public func createCollection(
        by member: Member, name: String, isPublic: Bool, now: Date = Date()
    ) async throws
        -> PaperCollection
    {
        let checked = try Self.checked { () throws(ModelError) in try PaperCollection.checkedName(name) }
        try await self.checkPostingRate(of: member, now: now)
        return try await self.community.createCollection(ownerID: member.id, name: checked, isPublic: isPublic, at: now)
    }

    /// A collection `viewer` may see, with its papers in the order added.
    ///
    /// - Throws: ``ServiceError`` `notFound` for an unknown collection and for someone else's
    ///   private one (its existence is not revealed).
    public func collection(_ id: Int64, viewer: Member?) async throws -> (collection: PaperCollection, papers: [Paper])
    {
        guard let collection = try await self.community.collection(id: id),
            collection.isPublic || collection.ownerID == viewer?.id
        else { throw ServiceError(.notFound, "collection \(id) does not exist") }
        let ids = try await self.community.collectionPaperIDs(id: id)
        return (collection, try await self.papers.papers(ids: ids))
    }

    /// The member's collections.
    public func collections(of member: Member) async throws -> [PaperCollection] {
        try await self.community.collections(ownerID: member.id)
    }

    /// Renames the member's collection and sets who may see it.
    public func updateCollection(_ id: Int64, by member: Member, name: String, isPublic: Bool) async throws {
        _ = try await self.ownCollection(id, of: member)
        let checked = try Self.checked { () throws(ModelError) in try PaperCollection.checkedName(name) }
        try await self.community.updateCollection(id: id, name: checked, isPublic: isPublic)
    }

    /// Deletes the member's collection.
    public func deleteCollection(_ id: Int64, by member: Member) async throws {
        _ = try await self.ownCollection(id, of: member)
        try await self.community.deleteCollection(id: id)
    }

    /// Adds a stored paper to the member's collection.
    public func addPaper(_ paperID: PaperID, toCollection id: Int64, by member: Member, now: Date = Date()) async throws
    {
        _ = try await self.ownCollection(id, of: member)
        guard try await self.papers.paper(id: paperID) != nil else {
            throw ServiceError(.notFound, field: "paper", "no paper with id \(paperID) is stored here")
        }
        try await self.community.addPaper(paperID, toCollection: id, at: now)
    }

    /// Takes a paper out of the member's collection.
    public func removePaper(_ paperID: PaperID, fromCollection id: Int64, by member: Member) async throws {
        _ = try await self.ownCollection(id, of: member)
        try await self.community.removePaper(paperID, fromCollection: id)
    }

    private func ownCollection(_ id: Int64, of member: Member) async throws -> PaperCollection {
        // Someone else's private collection is "not found"; their public one is "forbidden".
        guard let collection = try await self.community.collection(id: id),
            collection.isPublic || collection.ownerID == member.id
        else { throw ServiceError(.notFound, "collection \(id) does not exist") }
        guard collection.ownerID == member.id else {
            throw ServiceError(.forbidden, "collection \(id) is another member's; only its owner can change it")
        }
        return collection
    }

    // MARK: Submissions

    /// Puts an arXiv paper on `day`'s list, fetching it first when it is not stored.
    ///
    /// - Parameter text: an arXiv id (`2501.01234`, `hep-th/9901001`) or an arxiv.org URL.
    /// - Throws: ``ServiceError`` `invalidInput` (not an arXiv id), `conflict` (already
    ///   submitted), `unavailable` (not stored and the source could not fetch it, with why),
    ///   `rateLimited` (past the posting limit).
    public func submit(
        _ text: String, by member: Member, day: CalendarDay = .today(), now: Date = Date()
    ) async throws
        -> Paper
    {
        let arxiv: ArxivID
        do {
            arxiv = try ArxivID(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw ServiceError(.invalidInput, field: "paper", error.message)
        }
        let (year, month) = arxiv.yearAndMonth
        let current = CalendarDay(now)
        // A day of slack for time zones: arXiv's month may have begun before ours.
        let latest = CalendarDay(now.addingTimeInterval(86_400))
        guard year * 12 + month <= latest.year * 12 + latest.month else {
            throw ServiceError(
                .invalidInput, field: "paper",
                "arXiv:\(arxiv.base) would be numbered in \(year)-\(month < 10 ? "0" : "")\(month), after this month (\(current.year)-\(current.month < 10 ? "0" : "")\(current.month)); no such paper exists yet"
            )
        }
        try await self.checkPostingRate(of: member, now: now)
        let id = PaperID(arxiv)
        var paper = try await self.papers.paper(id: id)
        if paper == nil {
            guard let source = self.source else {
                throw ServiceError(
                    .unavailable, field: "paper",
                    "arXiv:\(arxiv.base) is not stored here and this site cannot fetch papers from arXiv")
            }
            do {
                try await Deadline.run(self.fetchDeadline) { try await source.fetch(arxiv.unversioned) }
            } catch is Deadline.Exceeded {
                throw ServiceError(
                    .unavailable, field: "paper",
                    "arXiv did not answer in time; try again in a few minutes",
                    detail: "fetching arXiv:\(arxiv.base) took longer than \(self.fetchDeadline)")
            } catch {
                throw ServiceError(
                    .unavailable, field: "paper",
                    "arXiv:\(arxiv.base) could not be fetched from arXiv just now; try again in a few minutes",
                    detail: "fetching arXiv:\(arxiv.base): \(error)")
            }
            paper = try await self.papers.paper(id: id)
        }
        guard let paper else {
            throw ServiceError(.notFound, field: "paper", "arXiv has no paper with the id \(arxiv.base)")
        }
        do {
            try await self.community.submit(Submission(paperID: id, memberID: member.id, day: day, created: now))
        } catch let error as StoreError where error.code == .conflict {
            throw ServiceError(.conflict, field: "paper", "arXiv:\(arxiv.base) has already been submitted")
        }
        return paper
    }

    private static func checked<T>(_ body: () throws(ModelError) -> T) throws(ServiceError) -> T {
        do {
            return try body()
        } catch {
            throw ServiceError(.invalidInput, field: "text", error.message)
        }
    }
}
