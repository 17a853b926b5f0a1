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
    private let resetLimiter = RateLimiter(capacity: 3, perMinute: 1)
    /// How long a password-reset link works.
    public var resetLifetime: TimeInterval = 3_600

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

    // MARK: API tokens

    /// Makes an API token for a member.
    ///
    /// - Returns: the stored record and the token itself, shown once (only its hash is kept).
    /// - Throws: ``ServiceError`` `invalidInput` for an empty or overlong name.
    public func createAPIToken(
        for member: Member, name: String, now: Date = Date()
    ) async throws -> (
        record: APIToken, token: String
    ) {
        let label = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...60).contains(label.count), !label.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw ServiceError(
                .invalidInput, field: "name", "a token's name has 1–60 characters and no control characters")
        }
        let token = "pb_" + SecureToken.random()
        let record = try await self.store.createAPIToken(
            memberID: member.id, name: label, tokenHash: SHA256.hex(Array(token.utf8)), at: now)
        return (record, token)
    }

    /// The member an API token (the `Authorization: Bearer` value) belongs to.
    public func member(apiToken: String) async throws -> Member? {
        guard apiToken.hasPrefix("pb_"), apiToken.utf8.count < 200 else { return nil }
        return try await self.store.member(apiTokenHash: SHA256.hex(Array(apiToken.utf8)))
    }

    // MARK: Password reset

    /// A signed link token that lets the holder set a new password for `email`, or `nil` for an
    /// unknown address (callers answer the same either way). The token names the member, expires
    /// after ``resetLifetime`` and carries a fingerprint of the current password hash, so it stops
    /// working once used.
    ///
    /// - Throws: ``ServiceError`` `rateLimited` after three requests a minute for one address.
    public func passwordResetToken(
        email: String, key: [UInt8], now: Date = Date()
    ) async throws -> (
        member: Member, token: String
    )? {
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard self.resetLimiter.allow(normalized, now: now.timeIntervalSince1970) else {
            throw ServiceError(.rateLimited, "too many reset requests for this address; try again in a few minutes")
        }
        guard let address = try? EmailAddress(parsing: email), let member = try await self.store.member(email: address),
            let hash = try await self.store.passwordHash(memberID: member.id)
        else { return nil }
        let payload = "reset.\(member.id).\(Self.fingerprint(hash))"
        let token = SecureToken.sign(
            payload, expires: Int64(now.addingTimeInterval(self.resetLifetime).timeIntervalSince1970), key: key)
        return (member, token)
    }

    /// Sets a new password with a reset token and ends every session of the member.
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a token that is forged, expired or already
    ///   used; `invalidInput` for a password that is not acceptable.
    @discardableResult
    public func resetPassword(
        token: String, newPassword: String, key: [UInt8], now: Date = Date()
    ) async throws
        -> Member
    {
        let invalid = ServiceError(.unauthorized, "this reset link is not valid any more; ask for a new one")
        guard let payload = SecureToken.verify(token, now: Int64(now.timeIntervalSince1970), key: key) else {
            throw invalid
        }
        let parts = payload.split(separator: ".")
        guard parts.count == 3, parts[0] == "reset", let id = Int64(parts[1]),
            let member = try await self.store.member(id: id),
            let hash = try await self.store.passwordHash(memberID: id),
            Self.fingerprint(hash) == parts[2]
        else { throw invalid }
        try Self.checkPassword(newPassword)
        try await self.store.setPasswordHash(PasswordHasher.hash(newPassword, cost: self.cost), memberID: id)
        try await self.store.deleteSessions(memberID: id)
        return member
    }

    /// A short digest of a password hash: changes whenever the password does.
    private static func fingerprint(_ hash: String) -> String {
        String(SHA256.hex(Array(hash.utf8)).prefix(16))
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
