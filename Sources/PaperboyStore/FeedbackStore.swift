public import Foundation
public import PaperboyModel

/// Members' explicit feedback on papers ("more like this", "not interested"): at most one per
/// member per paper, replaced or taken back at will, private to the member. Implementations pass
/// `FeedbackStoreConformance`.
public protocol FeedbackStore: Sendable {
    /// Sets the member's feedback on the paper, replacing any earlier one; `nil` takes it back.
    ///
    /// - Throws: ``StoreError`` for an unknown member (its feedback has nobody to belong to).
    func setFeedback(_ feedback: PaperFeedback?, memberID: Int64, paperID: PaperID, at date: Date) async throws

    /// Everything the member has said, newest first (ties by paper id).
    func feedback(of memberID: Int64) async throws -> [FeedbackMark]

    /// The member's feedback on these papers (papers without any are absent).
    func feedback(of memberID: Int64, among paperIDs: [PaperID]) async throws -> [PaperID: PaperFeedback]
}

/// One paper a member gave feedback on.
public struct FeedbackMark: Sendable, Hashable {
    /// The paper.
    public var paperID: PaperID
    /// What the member said.
    public var feedback: PaperFeedback
    /// When.
    public var date: Date

    /// Creates a mark.
    public init(paperID: PaperID, feedback: PaperFeedback, date: Date) {
        self.paperID = paperID
        self.feedback = feedback
        self.date = date
    }
}
