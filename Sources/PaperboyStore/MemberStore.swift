public import Foundation
public import PaperboyModel

/// A signed-in browser's session as stored: only a hash of the token the cookie carries, so a
/// leaked database does not hand out sessions.
public struct StoredSession: Hashable, Sendable {
    /// SHA-256 of the session token, hex.
    public var tokenHash: String
    /// Whose session it is.
    public var memberID: Int64
    /// When it was made.
    public var created: Date
    /// When it stops being valid.
    public var expires: Date

    /// Creates a session.
    public init(tokenHash: String, memberID: Int64, created: Date, expires: Date) {
        self.tokenHash = tokenHash
        self.memberID = memberID
        self.created = created
        self.expires = expires
    }
}

/// A member's API token as stored: a name and a hash, never the token itself.
public struct APIToken: Hashable, Sendable, Identifiable {
    /// The store's number for the token.
    public var id: Int64
    /// Whose token it is.
    public var memberID: Int64
    /// What the member called it ("laptop script").
    public var name: String
    /// When it was made.
    public var created: Date

    /// Creates a token record.
    public init(id: Int64, memberID: Int64, name: String, created: Date) {
        self.id = id
        self.memberID = memberID
        self.name = name
        self.created = created
    }
}

/// Where accounts and their sessions live. Implementations pass `MemberStoreConformance`.
public protocol MemberStore: Sendable {
    /// Makes an account; `emailVerified` is when its address was proven, if it was.
    /// - Throws: ``StoreError`` with code ``StoreError/Code/conflict`` when the address is taken
    ///   (compared case-insensitively).
    func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at: Date,
        emailVerified: Date?
    )
        async throws -> Member

    /// Records that the member proved their address at `date`.
    /// - Throws: ``StoreError`` with code ``StoreError/Code/notFound`` for an unknown id.
    func setEmailVerified(memberID: Int64, at date: Date) async throws

    /// Stores a sign-up waiting for its address to be proven, replacing any earlier one for the
    /// same address (so only the newest link works); returns it with its id.
    func savePendingSignUp(
        email: EmailAddress, displayName: String, passwordHash: String, at date: Date
    ) async throws -> PendingSignUp

    /// The pending sign-up with this id, or `nil`.
    func pendingSignUp(id: Int64) async throws -> PendingSignUp?

    /// Turns a pending sign-up into an account whose address is proven at `date`, in one step.
    /// - Throws: ``StoreError`` `notFound` when it is gone, `conflict` when an account with the
    ///   address was made meanwhile.
    func completeSignUp(id: Int64, at date: Date) async throws -> Member

    /// The member with this id, or `nil`.
    func member(id: Int64) async throws -> Member?

    /// The members with these ids that exist, by id (one query however many: names of
    /// commenters and submitters).
    func members(ids: [Int64]) async throws -> [Int64: Member]

    /// The member with this address (any case), or `nil`.
    func member(email: EmailAddress) async throws -> Member?

    /// The member's password hash (bcrypt), or `nil` for an unknown id.
    func passwordHash(memberID: Int64) async throws -> String?

    /// Replaces the member's password hash.
    /// - Throws: ``StoreError`` with code ``StoreError/Code/notFound`` for an unknown id.
    func setPasswordHash(_ hash: String, memberID: Int64) async throws

    /// Stores a session.
    func createSession(_ session: StoredSession) async throws

    /// The session with this token hash, if it exists and has not expired at `now`.
    func session(tokenHash: String, now: Date) async throws -> StoredSession?

    /// Ends one session; unknown hashes are ignored.
    func deleteSession(tokenHash: String) async throws

    /// Ends every session of a member (after a password change).
    func deleteSessions(memberID: Int64) async throws

    /// Gives a member a role.
    /// - Throws: ``StoreError`` with code ``StoreError/Code/notFound`` for an unknown id.
    func setRole(_ role: Member.Role, memberID: Int64) async throws

    /// Stores an API token's hash under a name.
    func createAPIToken(memberID: Int64, name: String, tokenHash: String, at date: Date) async throws -> APIToken

    /// The member whose API token has this hash, or `nil`.
    func member(apiTokenHash: String) async throws -> Member?

    /// A member's API tokens, oldest first.
    func apiTokens(memberID: Int64) async throws -> [APIToken]

    /// Revokes one of the member's tokens; another member's token or an unknown id is ignored.
    func deleteAPIToken(id: Int64, memberID: Int64) async throws

    /// Revokes every token of a member (after a password reset).
    func deleteAPITokens(memberID: Int64) async throws
}

extension MemberStore {
    /// Makes an account whose address is not proven yet.
    public func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date
    ) async throws -> Member {
        try await self.createMember(
            email: email, displayName: displayName, passwordHash: passwordHash, role: role, at: date,
            emailVerified: nil)
    }
}
