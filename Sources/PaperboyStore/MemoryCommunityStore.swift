public import Foundation
public import PaperboyModel

/// A ``CommunityStore`` in memory.
public actor MemoryCommunityStore: CommunityStore {
    private var commentsByID: [Int64: Comment] = [:]
    private var nextCommentID: Int64 = 1
    private var collectionsByID: [Int64: PaperCollection] = [:]
    private var collectionPapers: [Int64: [PaperID]] = [:]
    private var nextCollectionID: Int64 = 1
    private var submissionsByPaper: [PaperID: Submission] = [:]

    /// Creates an empty store.
    public init() {}

    public func addComment(
        paperID: PaperID, memberID: Int64, parentID: Int64?, body: String, at date: Date
    ) throws
        -> Comment
    {
        if let parentID, self.commentsByID[parentID] == nil {
            throw StoreError(.notFound, "comment \(parentID) does not exist")
        }
        let comment = Comment(
            id: self.nextCommentID, paperID: paperID, memberID: memberID, parentID: parentID, body: body, created: date)
        self.commentsByID[comment.id] = comment
        self.nextCommentID += 1
        return comment
    }

    public func comment(id: Int64) -> Comment? { self.commentsByID[id] }

    public func comments(paperID: PaperID) -> [Comment] {
        self.commentsByID.values.filter { $0.paperID == paperID }.sorted { $0.id < $1.id }
    }

    public func updateComment(id: Int64, body: String, at date: Date) throws {
        guard var comment = self.commentsByID[id] else { throw StoreError(.notFound, "comment \(id) does not exist") }
        comment.body = body
        comment.edited = date
        self.commentsByID[id] = comment
    }

    public func deleteComment(id: Int64) {
        guard let comment = self.commentsByID[id] else { return }
        if self.commentsByID.values.contains(where: { $0.parentID == id }) {
            self.commentsByID[id]?.body = ""
            self.commentsByID[id]?.isDeleted = true
            return
        }
        self.commentsByID[id] = nil
        if let parent = comment.parentID, self.commentsByID[parent]?.isDeleted == true,
            !self.commentsByID.values.contains(where: { $0.parentID == parent })
        {
            self.commentsByID[parent] = nil
        }
    }

    public func setCommentHidden(id: Int64, hidden: Bool) throws {
        guard self.commentsByID[id] != nil else { throw StoreError(.notFound, "comment \(id) does not exist") }
        self.commentsByID[id]!.isHidden = hidden
    }

    public func commentCounts(_ paperIDs: [PaperID]) -> [PaperID: Int] {
        let wanted = Set(paperIDs)
        var counts: [PaperID: Int] = [:]
        for comment in self.commentsByID.values
        where !comment.isHidden && !comment.isDeleted && wanted.contains(comment.paperID) {
            counts[comment.paperID, default: 0] += 1
        }
        return counts
    }

    public func createCollection(ownerID: Int64, name: String, isPublic: Bool, at date: Date) -> PaperCollection {
        let collection = PaperCollection(
            id: self.nextCollectionID, ownerID: ownerID, name: name, isPublic: isPublic, created: date)
        self.collectionsByID[collection.id] = collection
        self.collectionPapers[collection.id] = []
        self.nextCollectionID += 1
        return collection
    }

    public func collection(id: Int64) -> PaperCollection? {
        guard var collection = self.collectionsByID[id] else { return nil }
        collection.paperCount = self.collectionPapers[id]?.count ?? 0
        return collection
    }

    public func collections(ownerID: Int64) -> [PaperCollection] {
        self.collectionsByID.values.filter { $0.ownerID == ownerID }.sorted { $0.id < $1.id }.compactMap {
            self.collection(id: $0.id)
        }
    }

    public func updateCollection(id: Int64, name: String, isPublic: Bool) throws {
        guard self.collectionsByID[id] != nil else { throw StoreError(.notFound, "collection \(id) does not exist") }
        self.collectionsByID[id]!.name = name
        self.collectionsByID[id]!.isPublic = isPublic
    }

    public func deleteCollection(id: Int64) {
        self.collectionsByID[id] = nil
        self.collectionPapers[id] = nil
    }

    public func addPaper(_ paperID: PaperID, toCollection id: Int64, at date: Date) throws {
        guard var papers = self.collectionPapers[id] else {
            throw StoreError(.notFound, "collection \(id) does not exist")
        }
        if !papers.contains(paperID) { papers.append(paperID) }
        self.collectionPapers[id] = papers
    }

    public func removePaper(_ paperID: PaperID, fromCollection id: Int64) {
        self.collectionPapers[id]?.removeAll { $0 == paperID }
    }

    public func collectionPaperIDs(id: Int64) -> [PaperID] { self.collectionPapers[id] ?? [] }

    public func submit(_ submission: Submission) throws {
        guard self.submissionsByPaper[submission.paperID] == nil else {
            throw StoreError(.conflict, "paper \(submission.paperID) was already submitted")
        }
        self.submissionsByPaper[submission.paperID] = submission
    }

    public func submissions(on days: ClosedRange<CalendarDay>) -> [Submission] {
        self.submissionsByPaper.values.filter { days.contains($0.day) }.sorted {
            ($0.created, $0.paperID.rawValue) < ($1.created, $1.paperID.rawValue)
        }
    }

    public func submissionDays() -> [CalendarDay] {
        Set(self.submissionsByPaper.values.map(\.day)).sorted(by: >)
    }

    public func submissions(of paperIDs: [PaperID]) -> [PaperID: Submission] {
        var found: [PaperID: Submission] = [:]
        for id in paperIDs { if let submission = self.submissionsByPaper[id] { found[id] = submission } }
        return found
    }
}
