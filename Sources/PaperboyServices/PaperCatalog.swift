public import Foundation
public import PaperboyModel
public import PaperboyStore

/// The papers as the site shows them: one paper, the cards of a list (upvotes, comment count,
/// submitter, the viewer's own vote), counts, and upvoting. Lists, search results and the API
/// all make their cards here (``ListStore``), a whole page's facts in one query.
public struct PaperCatalog: Sendable {
    let papers: any PaperStore
    let votes: any VoteStore
    let lists: any ListStore

    /// Creates the catalogue over the papers, their upvotes and the cards of the backend's lists.
    public init(papers: any PaperStore, votes: any VoteStore, lists: any ListStore) {
        self.papers = papers
        self.votes = votes
        self.lists = lists
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
            throw Self.notStored(id)
        }
        return paper
    }

    /// The store's latest change sequence number (what a search index follows).
    public func latestSequence() async throws -> Int64 {
        try await self.papers.latestSequence()
    }

    /// How many papers are stored.
    public func count() async throws -> Int {
        try await self.papers.count()
    }

    /// How many papers announced within `days` have each primary category.
    public func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) async throws -> [String: Int] {
        try await self.papers.primaryCategoryCounts(announcedIn: days)
    }

    /// Cards for papers already loaded (search results, an author's papers), in their order.
    public func cards(_ papers: [Paper], viewer: Int64?) async throws -> [PaperCard] {
        try await self.lists.cards(for: papers, viewer: viewer)
    }

    /// The card of one stored paper.
    ///
    /// - Throws: ``ServiceError`` `notFound` when no such paper is stored.
    public func card(id: PaperID, viewer: Int64?) async throws -> PaperCard {
        guard let card = try await self.lists.cards(ids: [id], viewer: viewer).first else {
            throw Self.notStored(id)
        }
        return card
    }

    private static func notStored(_ id: PaperID) -> ServiceError {
        ServiceError(.notFound, "No paper with id \(id) is stored here.")
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
