import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``VoteStore`` must pass.
public enum VoteStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any VoteStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "an upvote toggles, one per member per paper, and counts follow", run: toggle),
        Check(name: "voted papers and upvote dates follow the toggles", run: votedPapersAndDates),
    ]

    static func votedPapersAndDates(_ store: any VoteStore) async throws {
        let a = PaperID(try! ArxivID(parsing: "2503.00001"))
        let b = PaperID(try! ArxivID(parsing: "2503.00002"))
        let early = Date(timeIntervalSince1970: 1_750_000_000)
        let late = early.addingTimeInterval(86_400)
        try expectEqual(try await store.votedPapers(), [:], "nothing voted yet")
        _ = try await store.toggleUpvote(memberID: 2, paperID: a, at: late)
        _ = try await store.toggleUpvote(memberID: 1, paperID: a, at: early)
        _ = try await store.toggleUpvote(memberID: 1, paperID: b, at: early)
        try expectEqual(try await store.votedPapers(), [a: 2, b: 1], "both papers with their counts")
        try expectEqual(try await store.upvoteDates(paperID: a), [early, late], "dates oldest first")
        _ = try await store.toggleUpvote(memberID: 1, paperID: b, at: late)
        try expectEqual(try await store.votedPapers(), [a: 2], "a paper whose last upvote went is gone")
        try expectEqual(try await store.upvoteDates(paperID: b), [], "no dates left")
    }

    static func toggle(_ store: any VoteStore) async throws {
        let a = PaperID(try! ArxivID(parsing: "2503.00001"))
        let b = PaperID(try! ArxivID(parsing: "2503.00002"))
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let first = try await store.toggleUpvote(memberID: 1, paperID: a, at: now)
        try expect(first.upvoted && first.count == 1, "first upvote: \(first)")
        let second = try await store.toggleUpvote(memberID: 2, paperID: a, at: now)
        try expect(second.upvoted && second.count == 2, "second member: \(second)")
        _ = try await store.toggleUpvote(memberID: 2, paperID: b, at: now)
        try expectEqual(try await store.upvoteCounts([a, b]), [a: 2, b: 1], "counts")
        try expectEqual(try await store.upvoted(by: 2, among: [a, b]), [a, b], "member 2 upvotes both")
        let undone = try await store.toggleUpvote(memberID: 1, paperID: a, at: now)
        try expect(!undone.upvoted && undone.count == 1, "taking it back: \(undone)")
        try expectEqual(try await store.upvoted(by: 1, among: [a, b]), [], "member 1 upvotes nothing")
        let gone = try await store.toggleUpvote(memberID: 2, paperID: b, at: now)
        try expect(!gone.upvoted && gone.count == 0, "the last upvote taken back: \(gone)")
        try expectEqual(try await store.upvoteCounts([a, b]), [a: 1], "papers without upvotes are absent")
    }
}
