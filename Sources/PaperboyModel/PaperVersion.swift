public import Foundation

/// One version of a paper (`v1`, `v2`…), with the time it was submitted when known.
public struct PaperVersion: Hashable, Sendable, Codable, Comparable {
    /// The version number, from 1.
    public var number: Int
    /// When this version was submitted.
    public var submitted: Date?
    /// The title as of this version, kept when a later version changed it (`nil`: unknown, or the
    /// same as the next version's).
    public var title: String?
    /// The abstract as of this version, kept when a later version changed it.
    public var abstract: String?

    /// Creates a version.
    public init(number: Int, submitted: Date? = nil, title: String? = nil, abstract: String? = nil) {
        self.number = number
        self.submitted = submitted
        self.title = title
        self.abstract = abstract
    }

    public static func < (lhs: PaperVersion, rhs: PaperVersion) -> Bool { lhs.number < rhs.number }
}
