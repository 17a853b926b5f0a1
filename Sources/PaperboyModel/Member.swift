public import Foundation

/// Someone with an account: who upvotes, comments, submits and collects.
public struct Member: Hashable, Sendable, Codable, Identifiable {
    /// What a member may do beyond the basics.
    public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
        /// Upvotes, comments, submits, collects.
        case member
        /// Also hides any comment.
        case moderator
    }

    /// The store's number for the member.
    public var id: Int64
    /// The sign-in address, unique.
    public var email: EmailAddress
    /// The name shown beside the member's submissions and comments.
    public var displayName: String
    /// What the member may do.
    public var role: Role
    /// When the account was made.
    public var created: Date
    /// When the member proved the address by following a link mailed to it; `nil` until then
    /// (accounts made before addresses were checked). Nothing mail-related works without it.
    public var emailVerified: Date?

    /// Creates a member.
    public init(
        id: Int64, email: EmailAddress, displayName: String, role: Role = .member, created: Date,
        emailVerified: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.created = created
        self.emailVerified = emailVerified
    }

    /// Checks a display name: 1–60 characters after trimming, no control characters, no
    /// bidirectional controls.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidName``.
    public static func checkedDisplayName(_ text: String) throws(ModelError) -> String {
        let name = String(text.trimmingWhitespace())
        guard !name.isEmpty else { throw ModelError(.invalidName, "the display name is empty") }
        // Characters as a reader sees them, and code points too: one letter under 20,000 combining
        // marks is one character.
        guard name.count <= 60, name.unicodeScalars.count <= 120 else {
            throw ModelError(.invalidName, "the display name is longer than 60 characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ModelError(.invalidName, "the display name contains a control character")
        }
        if let bidi = name.unicodeScalars.first(where: \.isBidirectionalControl) {
            let hex = String(bidi.value, radix: 16, uppercase: true)
            throw ModelError(
                .invalidName,
                "the display name contains U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex), a character that reverses or reorders the text around it"
            )
        }
        return name
    }
}
