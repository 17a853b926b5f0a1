public import Foundation
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

/// Sign-up, sign-in, sessions and sign-out: the account use cases behind the web forms.
///
/// Passwords are hashed with bcrypt; a session is a random token whose SHA-256 alone is stored;
/// every sign-in makes a new session (so a session id never survives a sign-in); sign-in attempts
/// are limited per address.
public struct AccountService: Sendable {
    /// Where accounts live.
    public let store: any MemberStore
    /// How long a session lasts.
    public var sessionLifetime: TimeInterval = 30 * 86_400
    /// bcrypt's cost (12 in production; tests use 4).
    public var cost: UInt8
    private let signInLimiter = RateLimiter(capacity: 5, perMinute: 5)
    private let signUpLimiter = RateLimiter(capacity: 20, perMinute: 20)

    /// Creates the service.
    public init(store: any MemberStore, cost: UInt8 = 12) {
        self.store = store
        self.cost = cost
    }

    /// Makes an account.
    ///
    /// - Throws: ``ServiceError``: `invalidInput` naming the field (an address that is not one, an
    ///   empty name, a password shorter than 10 or longer than 72 bytes), `conflict` when the
    ///   address is taken, `rateLimited` after too many sign-ups.
    public func signUp(
        email: String, displayName: String, password: String, now: Date = Date()
    ) async throws
        -> Member
    {
        guard self.signUpLimiter.allow("sign-up", now: now.timeIntervalSince1970) else {
            throw ServiceError(.rateLimited, "too many new accounts just now; try again in a minute")
        }
        let address: EmailAddress
        let name: String
        do {
            address = try EmailAddress(parsing: email)
        } catch {
            throw ServiceError(.invalidInput, field: "email", error.message)
        }
        do {
            name = try Member.checkedDisplayName(displayName)
        } catch {
            throw ServiceError(.invalidInput, field: "name", error.message)
        }
        try Self.checkPassword(password)
        let hash = PasswordHasher.hash(password, cost: self.cost)
        do {
            return try await self.store.createMember(
                email: address, displayName: name, passwordHash: hash, role: .member, at: now)
        } catch let error as StoreError where error.code == .conflict {
            throw ServiceError(.conflict, field: "email", "an account with the address \(address) already exists")
        }
    }

    /// Checks an address and password and starts a session.
    ///
    /// - Returns: the member and the session token for the cookie.
    /// - Throws: ``ServiceError``: `unauthorized` (the same words whether the address or the
    ///   password was wrong), `rateLimited` after five failed tries a minute for one address.
    public func signIn(
        email: String, password: String, now: Date = Date()
    ) async throws -> (
        member: Member, token: String
    ) {
        let key = email.trimmingCharacters(in: .whitespaces).lowercased()
        let wrong = ServiceError(.unauthorized, "wrong e-mail address or password")
        guard self.signInLimiter.allow(key, now: now.timeIntervalSince1970) else {
            throw ServiceError(.rateLimited, "too many sign-in attempts for this address; try again in a minute")
        }
        guard let address = try? EmailAddress(parsing: email), let member = try await self.store.member(email: address),
            let hash = try await self.store.passwordHash(memberID: member.id),
            PasswordHasher.verify(password, hash: hash)
        else { throw wrong }
        let token = SecureToken.random()
        try await self.store.createSession(
            StoredSession(
                tokenHash: SHA256.hex(Array(token.utf8)), memberID: member.id, created: now,
                expires: now.addingTimeInterval(self.sessionLifetime)))
        return (member, token)
    }

    /// The member a session token belongs to, while the session is valid.
    public func member(sessionToken: String, now: Date = Date()) async throws -> Member? {
        guard !sessionToken.isEmpty,
            let session = try await self.store.session(tokenHash: SHA256.hex(Array(sessionToken.utf8)), now: now)
        else { return nil }
        return try await self.store.member(id: session.memberID)
    }

    /// Ends a session.
    public func signOut(sessionToken: String) async throws {
        try await self.store.deleteSession(tokenHash: SHA256.hex(Array(sessionToken.utf8)))
    }

    /// 10 to 72 bytes (bcrypt reads no further than 72).
    static func checkPassword(_ password: String) throws(ServiceError) {
        guard password.count >= 10 else {
            throw ServiceError(.invalidInput, field: "password", "the password must have at least 10 characters")
        }
        guard password.utf8.count <= 72 else {
            throw ServiceError(.invalidInput, field: "password", "the password must be at most 72 bytes long")
        }
    }
}
