public import Foundation

/// A member putting a paper on a day's list ("submitted by"), as on community daily-papers sites.
public struct Submission: Hashable, Sendable {
    /// The paper.
    public var paperID: PaperID
    /// Who submitted it.
    public var memberID: Int64
    /// The list it was submitted to.
    public var day: CalendarDay
    /// When.
    public var created: Date

    /// Creates a submission.
    public init(paperID: PaperID, memberID: Int64, day: CalendarDay, created: Date) {
        self.paperID = paperID
        self.memberID = memberID
        self.day = day
        self.created = created
    }
}
