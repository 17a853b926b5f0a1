import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``FeedbackStore`` must pass, on a store where members 1 and 2 exist.
public enum FeedbackStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any FeedbackStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "feedback is set, replaced and taken back, one per member per paper", run: setReplaceClear),
        Check(name: "a member's feedback is listed newest first and is theirs alone", run: listing),
    ]

    private static let a = PaperID(try! ArxivID(parsing: "2503.00001"))
    private static let b = PaperID(try! ArxivID(parsing: "2503.00002"))
    private static let c = PaperID(try! ArxivID(parsing: "2503.00003"))
    private static let day = Date(timeIntervalSince1970: 1_750_000_000)

    static func setReplaceClear(_ store: any FeedbackStore) async throws {
        try expectEqual(try await store.feedback(of: 1, among: [a, b]), [:], "nothing said yet")
        try await store.setFeedback(.moreLikeThis, memberID: 1, paperID: a, at: day)
        try await store.setFeedback(.notInterested, memberID: 1, paperID: b, at: day)
        try expectEqual(
            try await store.feedback(of: 1, among: [a, b, c]), [a: .moreLikeThis, b: .notInterested],
            "both papers with what was said")
        let later = day.addingTimeInterval(60)
        try await store.setFeedback(.notInterested, memberID: 1, paperID: a, at: later)
        try expectEqual(
            try await store.feedback(of: 1),
            [
                FeedbackMark(paperID: a, feedback: .notInterested, date: later),
                FeedbackMark(paperID: b, feedback: .notInterested, date: day),
            ], "the second word on a paper replaces the first")
        try await store.setFeedback(nil, memberID: 1, paperID: b, at: later)
        try await store.setFeedback(nil, memberID: 1, paperID: c, at: later)
        try expectEqual(try await store.feedback(of: 1, among: [a, b, c]), [a: .notInterested], "b taken back")
        try expectEqual(try await store.feedback(of: 1, among: []), [:], "no papers asked about")
    }

    static func listing(_ store: any FeedbackStore) async throws {
        try await store.setFeedback(.moreLikeThis, memberID: 1, paperID: b, at: day)
        try await store.setFeedback(.moreLikeThis, memberID: 1, paperID: a, at: day)
        try await store.setFeedback(.notInterested, memberID: 1, paperID: c, at: day.addingTimeInterval(1))
        try await store.setFeedback(.notInterested, memberID: 2, paperID: a, at: day)
        try expectEqual(
            try await store.feedback(of: 1).map(\.paperID), [c, a, b], "newest first, then by paper id")
        try expectEqual(
            try await store.feedback(of: 2), [FeedbackMark(paperID: a, feedback: .notInterested, date: day)],
            "member 2's own")
        try expectEqual(try await store.feedback(of: 2, among: [a, b, c]), [a: .notInterested], "member 2's own")
        try expectEqual(try await store.feedback(of: 3), [], "a member who said nothing")
    }
}
