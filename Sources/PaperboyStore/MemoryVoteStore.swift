public import Foundation
public import PaperboyModel

/// A ``VoteStore`` in memory.
public actor MemoryVoteStore: VoteStore {
    private var votes: [PaperID: [Int64: Date]] = [:]

    /// Creates an empty store.
    public init() {}

    public func toggleUpvote(memberID: Int64, paperID: PaperID, at date: Date) -> (upvoted: Bool, count: Int) {
        var voters = self.votes[paperID] ?? [:]
        let upvoted = voters[memberID] == nil
        voters[memberID] = upvoted ? date : nil
        self.votes[paperID] = voters.isEmpty ? nil : voters
        return (upvoted, voters.count)
    }

    public func upvoteCounts(_ paperIDs: [PaperID]) -> [PaperID: Int] {
        var counts: [PaperID: Int] = [:]
        for id in paperIDs { if let voters = self.votes[id] { counts[id] = voters.count } }
        return counts
    }

    public func votedPapers() -> [PaperID: Int] {
        self.votes.mapValues(\.count)
    }

    public func upvoteDates(paperID: PaperID) -> [Date] {
        (self.votes[paperID] ?? [:]).values.sorted()
    }

    public func upvoted(by memberID: Int64, among paperIDs: [PaperID]) -> Set<PaperID> {
        Set(paperIDs.filter { self.votes[$0]?[memberID] != nil })
    }
}
