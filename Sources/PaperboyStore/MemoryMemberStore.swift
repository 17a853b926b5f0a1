public import Foundation
public import PaperboyModel

/// A ``MemberStore`` in memory, for tests and demos.
public actor MemoryMemberStore: MemberStore {
    private var members: [Int64: (member: Member, passwordHash: String)] = [:]
    private var byEmail: [String: Int64] = [:]
    private var sessions: [String: StoredSession] = [:]
    private var nextID: Int64 = 1
    private var tokens: [String: APIToken] = [:]
    private var nextTokenID: Int64 = 1
    private var pending: [Int64: PendingSignUp] = [:]
    private var nextPendingID: Int64 = 1

    /// Creates an empty store.
    public init() {}

    public func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date,
        emailVerified: Date?
    ) throws -> Member {
        guard self.byEmail[email.normalized] == nil else {
            throw StoreError(.conflict, "an account with the address \(email) already exists")
        }
        let member = Member(
            id: self.nextID, email: email, displayName: displayName, role: role, created: date,
            emailVerified: emailVerified)
        self.nextID += 1
        self.members[member.id] = (member, passwordHash)
        self.byEmail[email.normalized] = member.id
        return member
    }

    public func setEmailVerified(memberID: Int64, at date: Date) throws {
        guard self.members[memberID] != nil else { throw StoreError(.notFound, "no member with id \(memberID)") }
        self.members[memberID]?.member.emailVerified = date
    }

    public func savePendingSignUp(
        email: EmailAddress, displayName: String, passwordHash: String, at date: Date
    ) -> PendingSignUp {
        self.pending = self.pending.filter { $0.value.email != email }
        let signUp = PendingSignUp(
            id: self.nextPendingID, email: email, displayName: displayName, passwordHash: passwordHash, created: date)
        self.nextPendingID += 1
        self.pending[signUp.id] = signUp
        return signUp
    }

    public func pendingSignUp(id: Int64) -> PendingSignUp? {
        self.pending[id]
    }

    public func completeSignUp(id: Int64, at date: Date) throws -> Member {
        guard let signUp = self.pending[id] else { throw StoreError(.notFound, "no pending sign-up with id \(id)") }
        let member = try self.createMember(
            email: signUp.email, displayName: signUp.displayName, passwordHash: signUp.passwordHash, role: .member,
            at: date, emailVerified: date)
        self.pending[id] = nil
        return member
    }

    public func deleteAPITokens(memberID: Int64) {
        self.tokens = self.tokens.filter { $0.value.memberID != memberID }
    }

    public func member(id: Int64) -> Member? {
        self.members[id]?.member
    }

    public func members(ids: [Int64]) -> [Int64: Member] {
        var found: [Int64: Member] = [:]
        for id in ids { found[id] = self.members[id]?.member }
        return found
    }

    public func member(email: EmailAddress) -> Member? {
        self.byEmail[email.normalized].flatMap { self.members[$0]?.member }
    }

    public func passwordHash(memberID: Int64) -> String? {
        self.members[memberID]?.passwordHash
    }

    public func setPasswordHash(_ hash: String, memberID: Int64) throws {
        guard self.members[memberID] != nil else { throw StoreError(.notFound, "no member with id \(memberID)") }
        self.members[memberID]?.passwordHash = hash
    }

    public func createSession(_ session: StoredSession) {
        self.sessions[session.tokenHash] = session
    }

    public func session(tokenHash: String, now: Date) -> StoredSession? {
        guard let session = self.sessions[tokenHash], session.expires > now else { return nil }
        return session
    }

    public func deleteSession(tokenHash: String) {
        self.sessions[tokenHash] = nil
    }

    public func deleteSessions(memberID: Int64) {
        self.sessions = self.sessions.filter { $0.value.memberID != memberID }
    }

    public func setRole(_ role: Member.Role, memberID: Int64) throws {
        guard self.members[memberID] != nil else { throw StoreError(.notFound, "no member with id \(memberID)") }
        self.members[memberID]?.member.role = role
    }

    public func createAPIToken(memberID: Int64, name: String, tokenHash: String, at date: Date) -> APIToken {
        let token = APIToken(id: self.nextTokenID, memberID: memberID, name: name, created: date)
        self.nextTokenID += 1
        self.tokens[tokenHash] = token
        return token
    }

    public func member(apiTokenHash: String) -> Member? {
        self.tokens[apiTokenHash].flatMap { self.members[$0.memberID]?.member }
    }

    public func apiTokens(memberID: Int64) -> [APIToken] {
        self.tokens.values.filter { $0.memberID == memberID }.sorted { $0.id < $1.id }
    }

    public func deleteAPIToken(id: Int64, memberID: Int64) {
        self.tokens = self.tokens.filter { !($0.value.id == id && $0.value.memberID == memberID) }
    }
}
