public import Foundation

/// One version of a paper (`v1`, `v2`…), with the time it was submitted when known.
public struct PaperVersion: Hashable, Sendable, Codable, Comparable {
    /// The version number, from 1.
    public var number: Int
    /// When this version was submitted.
    public var submitted: Date?

    /// Creates a version.
    public init(number: Int, submitted: Date? = nil) {
        self.number = number
        self.submitted = submitted
    }

    public static func < (lhs: PaperVersion, rhs: PaperVersion) -> Bool { lhs.number < rhs.number }
}
