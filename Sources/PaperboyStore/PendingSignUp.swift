public import Foundation
public import PaperboyModel

/// A sign-up waiting for its address to be proven: no account exists until the link mailed to
/// the address is followed (and the password given at sign-up is shown again, or the browser
/// that signed up follows it).
public struct PendingSignUp: Hashable, Sendable, Identifiable {
    /// The store's number for it.
    public var id: Int64
    /// The address to prove.
    public var email: EmailAddress
    /// The name the account will show.
    public var displayName: String
    /// bcrypt hash of the password chosen.
    public var passwordHash: String
    /// When it was asked for.
    public var created: Date

    /// Creates a pending sign-up.
    public init(id: Int64, email: EmailAddress, displayName: String, passwordHash: String, created: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.created = created
    }
}
