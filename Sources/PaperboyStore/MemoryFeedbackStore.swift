public import Foundation
public import PaperboyModel

/// A ``FeedbackStore`` in memory.
public actor MemoryFeedbackStore: FeedbackStore {
    private var marks: [Int64: [PaperID: FeedbackMark]] = [:]

    /// Creates an empty store.
    public init() {}

    public func setFeedback(_ feedback: PaperFeedback?, memberID: Int64, paperID: PaperID, at date: Date) {
        var member = self.marks[memberID] ?? [:]
        member[paperID] = feedback.map { FeedbackMark(paperID: paperID, feedback: $0, date: date) }
        self.marks[memberID] = member.isEmpty ? nil : member
    }

    public func feedback(of memberID: Int64) -> [FeedbackMark] {
        (self.marks[memberID] ?? [:]).values.sorted {
            ($0.date, $1.paperID.rawValue) > ($1.date, $0.paperID.rawValue)
        }
    }

    public func feedback(of memberID: Int64, among paperIDs: [PaperID]) -> [PaperID: PaperFeedback] {
        let member = self.marks[memberID] ?? [:]
        var found: [PaperID: PaperFeedback] = [:]
        for id in paperIDs { if let mark = member[id] { found[id] = mark.feedback } }
        return found
    }
}
