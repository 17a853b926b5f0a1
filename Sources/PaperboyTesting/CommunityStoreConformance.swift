import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``CommunityStore`` must pass. Members 1 and 2 must exist in stores that
/// check references.
public enum CommunityStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any CommunityStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "comments and replies read back in order; edits, hiding and counts follow", run: comments),
        Check(name: "deleting a comment keeps the replies of others under a [deleted] mark", run: deleteThread),
        Check(
            name: "collections hold papers once, in the order added, and can be renamed and deleted", run: collections),
        Check(name: "a paper is submitted once and found by day and by id", run: submissions),
    ]

    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let paperA = PaperID(try! ArxivID(parsing: "2503.00001"))
    static let paperB = PaperID(try! ArxivID(parsing: "2503.00002"))

    static func comments(_ store: any CommunityStore) async throws {
        let first = try await store.addComment(
            paperID: paperA, memberID: 1, parentID: nil, body: "First *post*", at: now)
        let reply = try await store.addComment(
            paperID: paperA, memberID: 2, parentID: first.id, body: "A reply", at: now.addingTimeInterval(60))
        _ = try await store.addComment(paperID: paperB, memberID: 2, parentID: nil, body: "Elsewhere", at: now)
        let read = try await store.comments(paperID: paperA)
        try expectEqual(read.map(\.id), [first.id, reply.id], "oldest first")
        try expectEqual(read.first, first, "reads back equal")
        try expectEqual(read.last?.parentID, first.id, "the reply's parent")
        do {
            _ = try await store.addComment(paperID: paperA, memberID: 1, parentID: 9_999, body: "x", at: now)
            try expect(false, "a reply to an unknown comment was stored")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "reply to an unknown comment")
        }
        let later = now.addingTimeInterval(3_600)
        try await store.updateComment(id: first.id, body: "First, edited", at: later)
        let edited = try await store.comment(id: first.id)
        try expectEqual(edited?.body, "First, edited", "edited text")
        try expectEqual(edited?.edited, later, "when edited")
        try expectEqual(try await store.commentCounts([paperA, paperB]), [paperA: 2, paperB: 1], "counts")
        try await store.setCommentHidden(id: reply.id, hidden: true)
        try expectEqual(try await store.comment(id: reply.id)?.isHidden, true, "hidden")
        try expectEqual(try await store.commentCounts([paperA]), [paperA: 1], "hidden comments do not count")
        try await store.setCommentHidden(id: reply.id, hidden: false)
        try expectEqual(try await store.commentCounts([paperA]), [paperA: 2], "shown again")
        do {
            try await store.updateComment(id: 9_999, body: "x", at: later)
            try expect(false, "editing an unknown comment succeeded")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "editing an unknown comment")
        }
    }

    static func deleteThread(_ store: any CommunityStore) async throws {
        let top = try await store.addComment(paperID: paperA, memberID: 1, parentID: nil, body: "Top", at: now)
        let reply = try await store.addComment(paperID: paperA, memberID: 2, parentID: top.id, body: "Reply", at: now)
        let other = try await store.addComment(paperID: paperA, memberID: 2, parentID: nil, body: "Other", at: now)
        let lone = try await store.addComment(paperID: paperA, memberID: 1, parentID: nil, body: "Lone", at: now)
        try await store.deleteComment(id: lone.id)
        try expect(try await store.comment(id: lone.id) == nil, "a comment without replies is removed")
        try await store.deleteComment(id: top.id)
        try expectEqual(
            try await store.comments(paperID: paperA).map(\.id), [top.id, reply.id, other.id],
            "the replies of a deleted comment stay")
        let kept = try await store.comment(id: top.id)
        try expect(kept?.isDeleted == true && kept?.body == "", "the deleted comment keeps its place, not its text")
        try expectEqual(try await store.comment(id: reply.id)?.body, "Reply", "someone else's reply is untouched")
        try expectEqual(try await store.commentCounts([paperA]), [paperA: 2], "a deleted comment does not count")
        try await store.deleteComment(id: reply.id)
        try expectEqual(
            try await store.comments(paperID: paperA).map(\.id), [other.id],
            "the deleted comment goes with its last reply")
        try await store.deleteComment(id: 9_999)
    }

    static func collections(_ store: any CommunityStore) async throws {
        let reading = try await store.createCollection(ownerID: 1, name: "Reading group", isPublic: true, at: now)
        let secret = try await store.createCollection(ownerID: 1, name: "Secret", isPublic: false, at: now)
        _ = try await store.createCollection(ownerID: 2, name: "Bob's", isPublic: true, at: now)
        try await store.addPaper(paperB, toCollection: reading.id, at: now)
        try await store.addPaper(paperA, toCollection: reading.id, at: now)
        try await store.addPaper(paperB, toCollection: reading.id, at: now)
        try expectEqual(try await store.collectionPaperIDs(id: reading.id), [paperB, paperA], "once each, in order")
        try expectEqual(try await store.collection(id: reading.id)?.paperCount, 2, "paper count")
        try expectEqual(try await store.collections(ownerID: 1).map(\.name), ["Reading group", "Secret"], "by owner")
        try await store.updateCollection(id: secret.id, name: "Not secret", isPublic: true)
        let renamed = try await store.collection(id: secret.id)
        try expect(
            renamed?.name == "Not secret" && renamed?.isPublic == true,
            "renamed and public: \(String(describing: renamed))")
        try await store.removePaper(paperB, fromCollection: reading.id)
        try await store.removePaper(paperB, fromCollection: reading.id)
        try expectEqual(try await store.collectionPaperIDs(id: reading.id), [paperA], "removed")
        do {
            try await store.addPaper(paperA, toCollection: 9_999, at: now)
            try expect(false, "adding to an unknown collection succeeded")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "adding to an unknown collection")
        }
        try await store.deleteCollection(id: reading.id)
        try expect(try await store.collection(id: reading.id) == nil, "deleted")
        try expectEqual(try await store.collectionPaperIDs(id: reading.id), [], "its papers are gone")
    }

    static func submissions(_ store: any CommunityStore) async throws {
        let day = CalendarDay(year: 2025, month: 3, day: 10)!
        let first = Submission(paperID: paperA, memberID: 1, day: day, created: now)
        let second = Submission(
            paperID: paperB, memberID: 2, day: day.adding(days: 1), created: now.addingTimeInterval(60))
        try await store.submit(first)
        try await store.submit(second)
        do {
            try await store.submit(Submission(paperID: paperA, memberID: 2, day: day, created: now))
            try expect(false, "a second submission of one paper was stored")
        } catch let error as StoreError {
            try expectEqual(error.code, .conflict, "a paper is submitted once")
        }
        try expectEqual(
            try await store.submissions(on: day...day.adding(days: 1)), [first, second], "by day, in order")
        try expectEqual(try await store.submissions(on: day...day), [first], "one day")
        try expectEqual(try await store.submissions(of: [paperB]), [paperB: second], "by paper")
        try expectEqual(try await store.submissionDays(), [day.adding(days: 1), day], "days, newest first")
    }
}
