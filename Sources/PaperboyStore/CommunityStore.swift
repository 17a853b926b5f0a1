public import Foundation
public import PaperboyModel

/// What members make besides upvotes: comments, collections and submissions. Implementations
/// pass `CommunityStoreConformance`. Rules about who may do what live in the services; a store
/// only keeps the data consistent (a reply's parent exists, a collection holds a paper once).
public protocol CommunityStore: Sendable {
    // MARK: Comments

    /// Stores a new comment and returns it with its id.
    /// - Throws: ``StoreError/Code/notFound`` when `parentID` names no comment.
    func addComment(
        paperID: PaperID, memberID: Int64, parentID: Int64?, body: String, at date: Date
    ) async throws
        -> Comment

    /// The comment with this id, or `nil`.
    func comment(id: Int64) async throws -> Comment?

    /// A paper's comments, hidden ones included, oldest first.
    func comments(paperID: PaperID) async throws -> [Comment]

    /// Replaces a comment's text and records when.
    /// - Throws: ``StoreError/Code/notFound``.
    func updateComment(id: Int64, body: String, at date: Date) async throws

    /// Deletes a comment without taking anyone else's words with it: one without replies is
    /// removed; one with replies keeps its place, its text gone and ``Comment/isDeleted`` set,
    /// so that the replies stay. A deleted comment whose last reply goes is removed too. Unknown
    /// ids are ignored.
    func deleteComment(id: Int64) async throws

    /// Hides a comment from everyone but moderators, or shows it again.
    /// - Throws: ``StoreError/Code/notFound``.
    func setCommentHidden(id: Int64, hidden: Bool) async throws

    /// How many visible comments these papers have, deleted ones not counted (papers without any
    /// are absent).
    func commentCounts(_ paperIDs: [PaperID]) async throws -> [PaperID: Int]

    // MARK: Collections

    /// Makes an empty collection.
    func createCollection(ownerID: Int64, name: String, isPublic: Bool, at date: Date) async throws -> PaperCollection

    /// The collection with this id, with its paper count, or `nil`.
    func collection(id: Int64) async throws -> PaperCollection?

    /// A member's collections, oldest first.
    func collections(ownerID: Int64) async throws -> [PaperCollection]

    /// Renames a collection and sets who may see it.
    /// - Throws: ``StoreError/Code/notFound``.
    func updateCollection(id: Int64, name: String, isPublic: Bool) async throws

    /// Deletes a collection; unknown ids are ignored.
    func deleteCollection(id: Int64) async throws

    /// Adds a paper to a collection (again is a no-op).
    /// - Throws: ``StoreError/Code/notFound`` for an unknown collection.
    func addPaper(_ paperID: PaperID, toCollection id: Int64, at date: Date) async throws

    /// Takes a paper out of a collection (absent is a no-op).
    func removePaper(_ paperID: PaperID, fromCollection id: Int64) async throws

    /// The papers of a collection, in the order they were added.
    func collectionPaperIDs(id: Int64) async throws -> [PaperID]

    // MARK: Submissions

    /// Records a submission.
    /// - Throws: ``StoreError/Code/conflict`` when the paper was already submitted.
    func submit(_ submission: Submission) async throws

    /// Submissions to the lists of `days`, oldest first.
    func submissions(on days: ClosedRange<CalendarDay>) async throws -> [Submission]

    /// The days that have submissions, newest first.
    func submissionDays() async throws -> [CalendarDay]

    /// The submissions of these papers, by paper.
    func submissions(of paperIDs: [PaperID]) async throws -> [PaperID: Submission]
}
