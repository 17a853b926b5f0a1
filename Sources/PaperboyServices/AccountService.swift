public import Foundation
public import Logging
import PaperboyMail
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

/// Sign-up, sign-in, sessions, sign-out, password reset and proving an address: the account use
/// cases behind the web forms.
///
/// - An account exists only once its address is proven: signing up mails a link, and following
///   it (in the browser that signed up, or anywhere with the password chosen) makes the account.
///   The answer to a sign-up is the same whether or not the address already has an account (its
///   owner is told by mail instead), so the form tells no one who is a member.
/// - Passwords are hashed with bcrypt off the cooperative threads; an unknown address costs the
///   same bcrypt as a known one.
/// - A session is a random token whose SHA-256 alone is stored; every sign-in makes a new one.
/// - Every limit is keyed on the parsed, normalised address and on the client, so that a stranger
///   is held back without locking the owner out from elsewhere.
public struct AccountService: Sendable {
    /// Where accounts live.
    let store: any MemberStore
    /// Where account mails go.
    public let transport: any MailTransport
    /// Sender, links and signing key of account mails.
    public let settings: MailSettings
    /// How long a session lasts.
    public var sessionLifetime: TimeInterval = 30 * 86_400
    /// bcrypt's cost (12 in production; tests use 4).
    public var cost: UInt8
    /// How long a password-reset link works.
    public var resetLifetime: TimeInterval = 3_600
    /// How long a sign-up or address link works.
    public var linkLifetime: TimeInterval = 2 * 86_400
    private let limits: Limits
    /// A hash checked when the address is unknown, so that a wrong address takes as long as a
    /// wrong password.
    private let dummyHash: String
    /// Where failures nobody waits for (a reset mail) are written.
    public var logger = Logger(label: "paperboy.accounts")

    /// The rate limits, shared by copies of the service (and, for a backend several nodes share,
    /// by every node). Mails to one address are limited per purpose, so that asking for one kind
    /// (sign-ups) cannot use up another (the owner's password reset).
    private struct Limits: Sendable {
        let signInPerClient: AttemptLimit
        let signInPerAccountAndClient: AttemptLimit
        let signUpPerClient: AttemptLimit
        let signUpMailPerAddress: AttemptLimit
        let resetMailPerAddress: AttemptLimit
        let proofMailPerAddress: AttemptLimit
        let resetPerClient: AttemptLimit
        let passwordPerSignUp: AttemptLimit

        init(shared: (any RateLimitStore)?) {
            func limit(_ name: String, _ capacity: Int, _ perMinute: Double) -> AttemptLimit {
                AttemptLimit(name, capacity: capacity, perMinute: perMinute, shared: shared)
            }
            self.signInPerClient = limit("sign-in.client", 20, 10)
            self.signInPerAccountAndClient = limit("sign-in.account", 5, 5)
            self.signUpPerClient = limit("sign-up.client", 10, 2)
            self.signUpMailPerAddress = limit("sign-up.mail", 3, 0.1)
            self.resetMailPerAddress = limit("reset.mail", 3, 0.1)
            self.proofMailPerAddress = limit("proof.mail", 3, 0.1)
            self.resetPerClient = limit("reset.client", 10, 2)
            self.passwordPerSignUp = limit("sign-up.password", 5, 1)
        }
    }

    /// What a sign-up answers, whatever became of it.
    public struct SignUpReceipt: Sendable {
        /// The address the link went to, as typed (trimmed).
        public var address: String
        /// A value for a cookie of the browser that signed up: following the link there finishes
        /// the sign-up without asking for the password again.
        public var browserProof: String
    }

    /// Creates the service, its rate limits kept in `rateLimits` when given (a backend several
    /// nodes share) or in this process.
    public init(
        store: any MemberStore, rateLimits: (any RateLimitStore)? = nil, cost: UInt8 = 12,
        transport: any MailTransport, settings: MailSettings
    ) {
        self.store = store
        self.limits = Limits(shared: rateLimits)
        self.cost = cost
        self.transport = transport
        self.settings = settings
        self.dummyHash = PasswordHasher.hash(SecureToken.random(), cost: cost)
    }

    // MARK: Signing up

    /// Asks for an account: checks the fields, then mails the address a link that makes the
    /// account (or, when the address has a proven account already, a note to its owner).
    ///
    /// - Throws: ``ServiceError``: `invalidInput` naming the field (an address mail cannot go to, an
    ///   empty name, a password shorter than 10 or longer than 72 bytes), `rateLimited` after too
    ///   many sign-ups from the client or mails to the address, `unavailable` when the mail cannot
    ///   be sent.
    public func signUp(
        email: String, displayName: String, password: String, client: String, now: Date = Date()
    ) async throws -> SignUpReceipt {
        let address = try AddressRule.parse(email)
        let name: String
        do {
            name = try Member.checkedDisplayName(displayName)
        } catch {
            throw ServiceError(.invalidInput, field: "name", error.message)
        }
        try Self.checkPassword(password)
        guard try await self.limits.signUpPerClient.allow(client, at: now) else {
            throw ServiceError(.rateLimited, "too many sign-ups from here just now; try again in a few minutes")
        }
        guard try await self.limits.signUpMailPerAddress.allow(address.normalized, at: now) else {
            throw ServiceError(
                .rateLimited, "we already sent mail to this address a moment ago; check its inbox, or try again later")
        }
        // Hashed either way, so that both answers take as long.
        let hash = try await self.hash(password)
        if let member = try await self.store.member(email: address) {
            if member.emailVerified != nil {
                try await self.mail(try AccountMail.signUpAttempt(to: member, settings: self.settings, now: now))
            } else if let made = try await self.passwordResetToken(for: address, now: now) {
                // An account made before addresses were proven: the owner of the address takes it
                // over by setting a password (the link proves the address and ends its sessions).
                try await self.mail(
                    try AccountMail.claimAccount(
                        to: made.member, link: self.settings.baseURL + "/reset/" + made.token, settings: self.settings,
                        now: now))
            }
            return SignUpReceipt(address: address.rawValue, browserProof: SecureToken.random())
        }
        let pending = try await self.store.savePendingSignUp(
            email: address, displayName: name, passwordHash: hash, at: now)
        let token = self.linkToken("signup.\(pending.id).\(Self.fingerprint(hash))", now: now)
        try await self.mail(
            try AccountMail.confirmSignUp(
                to: pending, link: self.settings.baseURL + "/signup/confirm?token=" + token, settings: self.settings,
                now: now))
        return SignUpReceipt(address: address.rawValue, browserProof: self.browserProof(pending))
    }

    /// Finishes a sign-up from the mailed link: in the browser that signed up (`browserProof`),
    /// or anywhere with the password chosen then. Signs the new member in.
    ///
    /// - Throws: ``ServiceError``: `unauthorized` for a forged, expired or replaced link;
    ///   `unauthorized` with field `password` when neither proof is given or the password is
    ///   wrong; `conflict` when the address got an account meanwhile; `rateLimited` after five
    ///   wrong passwords.
    public func confirmSignUp(
        token: String, browserProof: String?, password: String?, now: Date = Date()
    ) async throws -> (member: Member, token: String) {
        let invalid = ServiceError(.unauthorized, "this link is not valid any more; sign up again to get a new one")
        guard let parts = self.linkParts(token, kind: "signup", now: now), let id = Int64(parts[1]),
            let pending = try await self.store.pendingSignUp(id: id),
            Self.fingerprint(pending.passwordHash) == parts[2]
        else { throw invalid }
        if let browserProof, HMAC.equal(Array(browserProof.utf8), Array(self.browserProof(pending).utf8)) {
            // The browser that signed up.
        } else if let password, !password.isEmpty {
            guard try await self.limits.passwordPerSignUp.allow("signup:\(id)", at: now) else {
                throw ServiceError(.rateLimited, "too many wrong passwords; try again in a few minutes")
            }
            guard try await self.verify(password, hash: pending.passwordHash) else {
                throw ServiceError(.unauthorized, field: "password", "that is not the password chosen at sign-up")
            }
        } else {
            throw ServiceError(
                .unauthorized, field: "password", "enter the password you chose when you signed up")
        }
        let member: Member
        do {
            member = try await self.store.completeSignUp(id: id, at: now)
        } catch let error as StoreError where error.code == .conflict {
            throw ServiceError(.conflict, "an account with this address exists already; sign in instead")
        } catch let error as StoreError where error.code == .notFound {
            throw invalid
        }
        return (member, try await self.startSession(member, now: now))
    }

    /// The cookie value that proves a browser made a sign-up: an HMAC, so it names nothing.
    private func browserProof(_ pending: PendingSignUp) -> String {
        Base64URL.encode(
            HMAC.code(
                Array("signup-browser.\(pending.id).\(Self.fingerprint(pending.passwordHash))".utf8),
                key: self.settings.key))
    }

    // MARK: Signing in

    /// Checks an address and password and starts a session.
    ///
    /// - Returns: the member and the session token for the cookie.
    /// - Throws: ``ServiceError``: `unauthorized` (the same words whether the address or the
    ///   password was wrong), `rateLimited` after too many tries from the client, or for the
    ///   address from the client.
    public func signIn(
        email: String, password: String, client: String, now: Date = Date()
    ) async throws -> (
        member: Member, token: String
    ) {
        let wrong = ServiceError(.unauthorized, "wrong e-mail address or password")
        let address = try? AddressRule.parse(email)
        guard try await self.limits.signInPerClient.allow(client, at: now) else {
            throw ServiceError(.rateLimited, "too many sign-in attempts from here; try again in a few minutes")
        }
        guard let address else { throw wrong }
        guard try await self.limits.signInPerAccountAndClient.allow(address.normalized + " " + client, at: now) else {
            throw ServiceError(.rateLimited, "too many sign-in attempts for this address; try again in a minute")
        }
        let member = try await self.store.member(email: address)
        let hash = try await member.asyncMap { try await self.store.passwordHash(memberID: $0.id) } ?? nil
        let matches = try await self.verify(password, hash: hash ?? self.dummyHash)
        guard let member, hash != nil, matches else { throw wrong }
        return (member, try await self.startSession(member, now: now))
    }

    private func startSession(_ member: Member, now: Date) async throws -> String {
        let token = SecureToken.random()
        try await self.store.createSession(
            StoredSession(
                tokenHash: SHA256.hex(Array(token.utf8)), memberID: member.id, created: now,
                expires: now.addingTimeInterval(self.sessionLifetime)))
        return token
    }

    /// A member's display name, or "a former member" for an id no longer stored.
    public func displayName(of memberID: Int64) async throws -> String {
        try await self.store.member(id: memberID)?.displayName ?? "a former member"
    }

    /// The member a session token belongs to, while the session is valid.
    public func member(sessionToken: String, now: Date = Date()) async throws -> Member? {
        guard !sessionToken.isEmpty, sessionToken.utf8.count < 200,
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
        guard (1...60).contains(label.count), label.unicodeScalars.count <= 120,
            !label.unicodeScalars.contains(where: { $0.value < 0x20 || $0.isBidirectionalControl })
        else {
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

    /// A member's API tokens, oldest first.
    public func apiTokens(of member: Member) async throws -> [APIToken] {
        try await self.store.apiTokens(memberID: member.id)
    }

    /// Revokes one of the member's API tokens (another member's is left alone).
    public func revokeAPIToken(_ id: Int64, of member: Member) async throws {
        try await self.store.deleteAPIToken(id: id, memberID: member.id)
    }

    // MARK: Password reset

    /// Mails a signed link that lets the holder set a new password, when an account uses the
    /// address; callers answer the same either way. The link names the member, expires after
    /// ``resetLifetime`` and carries a fingerprint of the current password hash, so it stops
    /// working once used. Following it also proves the address.
    ///
    /// - Throws: ``ServiceError`` `rateLimited` after too many requests from the client or mails to
    ///   the address; `unavailable` when the mail cannot be sent.
    /// - Returns: the sending of the mail, which runs on its own (so that the answer takes as
    ///   long whether or not an account uses the address; a failure is logged), or `nil` when
    ///   nothing is sent.
    @discardableResult
    public func requestPasswordReset(
        email: String, client: String, now: Date = Date()
    ) async throws -> Task<Void, Never>? {
        guard try await self.limits.resetPerClient.allow(client, at: now) else {
            throw ServiceError(.rateLimited, "too many reset requests from here; try again in a few minutes")
        }
        guard let address = try? AddressRule.parse(email) else { return nil }
        guard try await self.limits.resetMailPerAddress.allow(address.normalized, at: now) else {
            throw ServiceError(
                .rateLimited,
                "we already sent a link to this address a moment ago; check its inbox, or try again in a few minutes")
        }
        guard let made = try await self.passwordResetToken(for: address, now: now) else { return nil }
        let message = try AccountMail.passwordReset(
            to: made.member, link: self.settings.baseURL + "/reset/" + made.token, settings: self.settings, now: now)
        let logger = self.logger
        return Task { [self] in
            do {
                try await self.mail(message)
            } catch let error as ServiceError {
                logger.error("the password-reset mail to \(made.member.email) failed: \(error.detail ?? error.message)")
            } catch {
                logger.error("the password-reset mail to \(made.member.email) failed: \(error)")
            }
        }
    }

    /// The reset token of the account with this address, if there is one (no limits, no mail).
    public func passwordResetToken(
        for address: EmailAddress, now: Date = Date()
    ) async throws -> (
        member: Member, token: String
    )? {
        guard let member = try await self.store.member(email: address),
            let hash = try await self.store.passwordHash(memberID: member.id)
        else { return nil }
        let payload = "reset.\(member.id).\(Self.fingerprint(hash))"
        let token = SecureToken.sign(
            payload, expires: Int64(now.addingTimeInterval(self.resetLifetime).timeIntervalSince1970),
            key: self.settings.key)
        return (member, token)
    }

    /// Sets a new password with a reset token; ends every session and revokes every API token of
    /// the member (whoever held them is out), and marks the address proven.
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a token that is forged, expired or already
    ///   used; `invalidInput` for a password that is not acceptable.
    @discardableResult
    public func resetPassword(token: String, newPassword: String, now: Date = Date()) async throws -> Member {
        let member = try await self.resetMember(token: token, now: now)
        let id = member.id
        try Self.checkPassword(newPassword)
        try await self.store.setPasswordHash(try await self.hash(newPassword), memberID: id)
        try await self.store.deleteSessions(memberID: id)
        try await self.store.deleteAPITokens(memberID: id)
        if member.emailVerified == nil { try await self.store.setEmailVerified(memberID: id, at: now) }
        return member
    }

    /// The member a reset link is for, while the link works (so the form can say at once when it
    /// does not).
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a token that is forged, expired or used.
    public func resetMember(token: String, now: Date = Date()) async throws -> Member {
        let invalid = ServiceError(.unauthorized, "this reset link is not valid any more; ask for a new one")
        guard let parts = self.linkParts(token, kind: "reset", now: now), let id = Int64(parts[1]),
            let member = try await self.store.member(id: id),
            let hash = try await self.store.passwordHash(memberID: id),
            Self.fingerprint(hash) == parts[2]
        else { throw invalid }
        return member
    }

    // MARK: Proving an address

    /// Mails a member whose address is not proven (an account made before addresses were
    /// checked) a link that proves it when followed while signed in.
    ///
    /// - Throws: ``ServiceError`` `rateLimited` after too many mails to the address,
    ///   `unavailable` when the mail cannot be sent.
    public func requestAddressProof(for member: Member, now: Date = Date()) async throws {
        guard member.emailVerified == nil else { return }
        guard try await self.limits.proofMailPerAddress.allow(member.email.normalized, at: now) else {
            throw ServiceError(
                .rateLimited, "we already sent mail to this address a moment ago; check its inbox, or try again later")
        }
        let token = self.linkToken("verify.\(member.id).\(Self.fingerprint(member.email.normalized))", now: now)
        try await self.mail(
            try AccountMail.addressProof(
                to: member, link: self.settings.baseURL + "/account/verify?token=" + token, settings: self.settings,
                now: now))
    }

    /// Proves the signed-in member's address with the mailed link (another member's link, or one
    /// followed while signed out, proves nothing).
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a forged, expired or someone else's link.
    @discardableResult
    public func proveAddress(token: String, member: Member, now: Date = Date()) async throws -> Member {
        let invalid = ServiceError(
            .unauthorized, "this link is not valid any more, or is for another account; ask for a new one")
        guard let parts = self.linkParts(token, kind: "verify", now: now), Int64(parts[1]) == member.id,
            Self.fingerprint(member.email.normalized) == parts[2]
        else { throw invalid }
        var proven = member
        if member.emailVerified == nil {
            try await self.store.setEmailVerified(memberID: member.id, at: now)
            proven.emailVerified = now
        }
        return proven
    }

    // MARK: Helpers

    /// A signed link token `kind.id.fingerprint` that works for ``linkLifetime``.
    private func linkToken(_ payload: String, now: Date) -> String {
        SecureToken.sign(
            payload, expires: Int64(now.addingTimeInterval(self.linkLifetime).timeIntervalSince1970),
            key: self.settings.key)
    }

    /// The three parts of a signed link token of `kind` (`kind`, id, fingerprint), if the
    /// signature holds and it has not expired.
    private func linkParts(_ token: String, kind: String, now: Date) -> [Substring]? {
        guard let payload = SecureToken.verify(token, now: Int64(now.timeIntervalSince1970), key: self.settings.key)
        else { return nil }
        let parts = payload.split(separator: ".")
        return parts.count == 3 && parts[0] == kind ? parts : nil
    }

    private func hash(_ password: String) async throws -> String {
        guard let hash = await PasswordHasher.hashed(password, cost: self.cost) else { throw Self.busy }
        return hash
    }

    private func verify(_ password: String, hash: String) async throws -> Bool {
        guard let matches = await PasswordHasher.verified(password, hash: hash) else { throw Self.busy }
        return matches
    }

    private static let busy = ServiceError(
        .busy, "the server is busy checking passwords just now; try again in a few seconds")

    private func mail(_ message: MailMessage) async throws {
        do {
            try await self.transport.sendOne(message)
        } catch {
            throw ServiceError(
                .unavailable, "the mail could not be sent just now; try again in a few minutes", detail: "\(error)")
        }
    }

    /// A short digest of a password hash or an address: changes whenever they do.
    private static func fingerprint(_ text: String) -> String {
        String(SHA256.hex(Array(text.utf8)).prefix(16))
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

extension Optional {
    /// The value mapped by an async function, or `nil`.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
