public import Foundation
public import PaperboyModel
public import PaperboyStore

/// The papers as the site shows them: one paper, the cards of a list (upvotes, comment count,
/// submitter, the viewer's own vote), counts, and upvoting. Lists, search results and the API
/// all make their cards here, with one query per kind of fact for a whole page.
public struct PaperCatalog: Sendable {
    let papers: any PaperStore
    let votes: any VoteStore
    let community: CommunityService

    /// Creates the catalogue over the papers, their upvotes and the community (comments and
    /// submitters).
    public init(papers: any PaperStore, votes: any VoteStore, community: CommunityService) {
        self.papers = papers
        self.votes = votes
        self.community = community
    }

    /// The paper with this id, or `nil`.
    public func paper(id: PaperID) async throws -> Paper? {
        try await self.papers.paper(id: id)
    }

    /// The paper with this id.
    ///
    /// - Throws: ``ServiceError`` `notFound` when no such paper is stored.
    public func storedPaper(id: PaperID) async throws -> Paper {
        guard let paper = try await self.papers.paper(id: id) else {
            throw ServiceError(.notFound, "No paper with id \(id) is stored here.")
        }
        return paper
    }

    /// How many papers are stored.
    public func count() async throws -> Int {
        try await self.papers.count()
    }

    /// How many papers announced within `days` have each primary category.
    public func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) async throws -> [String: Int] {
        try await self.papers.primaryCategoryCounts(announcedIn: days)
    }

    /// Cards for list entries, whose upvotes the list already counted.
    public func cards(_ entries: [PaperLists.Entry], viewer: Int64?) async throws -> [PaperCard] {
        try await self.cards(
            entries.map(\.paper),
            upvotes: Dictionary(
                entries.map { ($0.paper.id, $0.upvotes) }, uniquingKeysWith: { first, _ in first }), viewer: viewer)
    }

    /// Cards for papers, in their order.
    ///
    /// - Parameter upvotes: counts already known (a list's); counted here when `nil`.
    public func cards(_ papers: [Paper], upvotes: [PaperID: Int]? = nil, viewer: Int64?) async throws -> [PaperCard] {
        guard !papers.isEmpty else { return [] }
        let ids = papers.map(\.id)
        var counts = upvotes ?? [:]
        if upvotes == nil { counts = try await self.votes.upvoteCounts(ids) }
        let comments = try await self.community.community.commentCounts(ids)
        let submitters = try await self.community.submitters(of: ids)
        var mine = Set<PaperID>()
        if let viewer { mine = try await self.votes.upvoted(by: viewer, among: ids) }
        return papers.map { paper in
            let submitted = submitters[paper.id]
            return PaperCard(
                paper: paper, upvotes: counts[paper.id] ?? 0, comments: comments[paper.id] ?? 0,
                submitter: submitted?.name, submittedOn: submitted?.submission.day,
                upvotedByViewer: mine.contains(paper.id))
        }
    }

    /// The card of one stored paper.
    ///
    /// - Throws: ``ServiceError`` `notFound` when no such paper is stored.
    public func card(id: PaperID, viewer: Int64?) async throws -> PaperCard {
        try await self.cards([try await self.storedPaper(id: id)], viewer: viewer)[0]
    }

    /// Turns the member's upvote of a stored paper on or off.
    ///
    /// - Returns: whether it is now upvoted, and its upvotes.
    /// - Throws: ``ServiceError`` `notFound` when no such paper is stored.
    public func toggleUpvote(
        _ paperID: PaperID, by memberID: Int64, at date: Date = Date()
    ) async throws -> (
        upvoted: Bool, count: Int
    ) {
        _ = try await self.storedPaper(id: paperID)
        return try await self.votes.toggleUpvote(memberID: memberID, paperID: paperID, at: date)
    }

    /// When each upvote of a paper was given, for its sparkline.
    public func upvoteDates(paperID: PaperID) async throws -> [Date] {
        try await self.votes.upvoteDates(paperID: paperID)
    }
}

/// A paper as a list, a search result or the API shows it.
public struct PaperCard: Sendable {
    /// The paper.
    public var paper: Paper
    /// Its upvotes.
    public var upvotes: Int
    /// How many comments it has.
    public var comments: Int
    /// The name of the member who put it on a day's list, if one did.
    public var submitter: String?
    /// The day it was submitted for.
    public var submittedOn: CalendarDay?
    /// Whether the viewer has upvoted it.
    public var upvotedByViewer: Bool

    /// Creates a card.
    public init(
        paper: Paper, upvotes: Int, comments: Int = 0, submitter: String? = nil, submittedOn: CalendarDay? = nil,
        upvotedByViewer: Bool = false
    ) {
        self.paper = paper
        self.upvotes = upvotes
        self.comments = comments
        self.submitter = submitter
        self.submittedOn = submittedOn
        self.upvotedByViewer = upvotedByViewer
    }
}
