public import Foundation
public import PaperboyModel

/// Upvotes: one per member per paper, toggled. Implementations pass `VoteStoreConformance`.
public protocol VoteStore: Sendable {
    /// Adds the member's upvote of the paper, or takes it back if it is there.
    /// - Returns: whether the member now upvotes the paper, and the paper's new count.
    func toggleUpvote(memberID: Int64, paperID: PaperID, at date: Date) async throws -> (upvoted: Bool, count: Int)

    /// The upvote counts of these papers (papers without upvotes are absent).
    func upvoteCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int]

    /// Every paper with at least one upvote, with its count (trending ranks these).
    func votedPapers() async throws -> [PaperID: Int]

    /// When each upvote the paper has now was given, oldest first (its sparkline).
    func upvoteDates(paperID: PaperID) async throws -> [Date]

    /// Which of these papers the member upvotes.
    func upvoted(by memberID: Int64, among paperIDs: [PaperID]) async throws -> Set<PaperID>
}
