import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``MemberStore`` must pass.
public enum MemberStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any MemberStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "a member reads back by id and by address in any case", run: createAndRead),
        Check(name: "an address is taken once, whatever its case", run: uniqueEmail),
        Check(name: "passwords are replaced; unknown ids say so", run: passwords),
        Check(name: "sessions expire, end one by one or all at once", run: sessions),
        Check(name: "roles change; API tokens find their member and are revoked by their owner only", run: tokens),
        Check(name: "every token of a member is revoked at once, no one else's", run: revokeAllTokens),
        Check(name: "a pending sign-up becomes a proven account once; a newer one replaces it", run: pendingSignUps),
        Check(name: "a member's address is marked proven", run: verifiedAddress),
    ]

    static func revokeAllTokens(_ store: any MemberStore) async throws {
        let ada = try await store.createMember(
            email: email("ada@example.org"), displayName: "Ada", passwordHash: "h", role: .member, at: now)
        let bob = try await store.createMember(
            email: email("bob@example.org"), displayName: "Bob", passwordHash: "h", role: .member, at: now)
        _ = try await store.createAPIToken(memberID: ada.id, name: "one", tokenHash: "t1", at: now)
        _ = try await store.createAPIToken(memberID: ada.id, name: "two", tokenHash: "t2", at: now)
        _ = try await store.createAPIToken(memberID: bob.id, name: "bob's", tokenHash: "t3", at: now)
        try await store.deleteAPITokens(memberID: ada.id)
        try expect(try await store.apiTokens(memberID: ada.id).isEmpty, "ada's tokens are gone")
        try expect(try await store.member(apiTokenHash: "t1") == nil, "t1 finds nobody")
        try expectEqual(try await store.member(apiTokenHash: "t3")?.id, bob.id, "bob's token still works")
    }

    static func pendingSignUps(_ store: any MemberStore) async throws {
        let first = try await store.savePendingSignUp(
            email: email("new@example.org"), displayName: "First", passwordHash: "h1", at: now)
        try expectEqual(try await store.pendingSignUp(id: first.id), first, "reads back")
        try expect(try await store.member(email: email("new@example.org")) == nil, "no account yet")
        let second = try await store.savePendingSignUp(
            email: email("NEW@example.org"), displayName: "Second", passwordHash: "h2", at: now + 1)
        try expect(second.id != first.id, "a new id, never an old one again")
        try expect(try await store.pendingSignUp(id: first.id) == nil, "the older one for the address is gone")
        let member = try await store.completeSignUp(id: second.id, at: now + 2)
        try expectEqual(member.displayName, "Second", "the account is the newer sign-up's")
        try expectEqual(member.emailVerified, now + 2, "its address is proven")
        try expectEqual(try await store.member(email: email("new@example.org")), member, "the account reads back")
        try expectEqual(try await store.passwordHash(memberID: member.id), "h2", "with the sign-up's password")
        try expect(try await store.pendingSignUp(id: second.id) == nil, "the pending sign-up is used up")
        do {
            _ = try await store.completeSignUp(id: second.id, at: now + 3)
            try expect(false, "a used sign-up completed twice")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "used up")
        }
        let late = try await store.savePendingSignUp(
            email: email("new@example.org"), displayName: "Late", passwordHash: "h3", at: now + 4)
        do {
            _ = try await store.completeSignUp(id: late.id, at: now + 5)
            try expect(false, "a sign-up for a taken address completed")
        } catch let error as StoreError {
            try expectEqual(error.code, .conflict, "the address is taken")
        }
    }

    static func verifiedAddress(_ store: any MemberStore) async throws {
        let ada = try await store.createMember(
            email: email("ada@example.org"), displayName: "Ada", passwordHash: "h", role: .member, at: now)
        try expect(ada.emailVerified == nil, "not proven when made without")
        try await store.setEmailVerified(memberID: ada.id, at: now + 10)
        try expectEqual(try await store.member(id: ada.id)?.emailVerified, now + 10, "proven")
        try expectEqual(try await store.member(email: email("ada@example.org"))?.emailVerified, now + 10, "by address")
        do {
            try await store.setEmailVerified(memberID: ada.id + 50, at: now)
            try expect(false, "an unknown member was marked")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "unknown member")
        }
    }

    static func tokens(_ store: any MemberStore) async throws {
        let ada = try await store.createMember(
            email: email("ada@example.org"), displayName: "Ada", passwordHash: "h", role: .member, at: now)
        let bob = try await store.createMember(
            email: email("bob@example.org"), displayName: "Bob", passwordHash: "h", role: .member, at: now)
        try await store.setRole(.moderator, memberID: ada.id)
        try expectEqual(try await store.member(id: ada.id)?.role, .moderator, "the new role")
        do {
            try await store.setRole(.moderator, memberID: bob.id + 100)
            try expect(false, "setting the role of an unknown member succeeded")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "unknown member")
        }
        let first = try await store.createAPIToken(memberID: ada.id, name: "laptop", tokenHash: "hash-1", at: now)
        _ = try await store.createAPIToken(memberID: ada.id, name: "server", tokenHash: "hash-2", at: now)
        try expectEqual(try await store.member(apiTokenHash: "hash-1")?.id, ada.id, "a token finds its member")
        try expect(try await store.member(apiTokenHash: "hash-3") == nil, "an unknown token finds nobody")
        try expectEqual(
            try await store.apiTokens(memberID: ada.id).map(\.name), ["laptop", "server"], "tokens in order")
        try await store.deleteAPIToken(id: first.id, memberID: bob.id)
        try expect(try await store.member(apiTokenHash: "hash-1") != nil, "another member cannot revoke it")
        try await store.deleteAPIToken(id: first.id, memberID: ada.id)
        try expect(try await store.member(apiTokenHash: "hash-1") == nil, "its owner can")
        try expectEqual(try await store.apiTokens(memberID: ada.id).map(\.name), ["server"], "one left")
    }

    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func email(_ text: String) -> EmailAddress { try! EmailAddress(parsing: text) }

    static func createAndRead(_ store: any MemberStore) async throws {
        let created = try await store.createMember(
            email: email("Ada@Example.org"), displayName: "Ada Lovelace", passwordHash: "$2b$hash", role: .moderator,
            at: now)
        try expectEqual(try await store.member(id: created.id), created, "by id")
        try expectEqual(try await store.member(email: email("ada@example.ORG")), created, "by address, other case")
        try expectEqual(created.email.rawValue, "Ada@Example.org", "the address keeps its case")
        try expectEqual(try await store.passwordHash(memberID: created.id), "$2b$hash", "password hash")
        try expect(try await store.member(id: created.id + 100) == nil, "unknown id")
        let many = try await store.members(ids: [created.id, created.id + 100, created.id])
        try expectEqual(many, [created.id: created], "several by id: the unknown one left out, the repeated one once")
        try expectEqual(try await store.members(ids: []), [:], "none asked")
        try expect(try await store.member(email: email("nobody@example.org")) == nil, "unknown address")
    }

    static func uniqueEmail(_ store: any MemberStore) async throws {
        let first = try await store.createMember(
            email: email("grace@example.org"), displayName: "Grace", passwordHash: "h", role: .member, at: now)
        do {
            _ = try await store.createMember(
                email: email("GRACE@example.org"), displayName: "Other", passwordHash: "h", role: .member, at: now)
            try expect(false, "a second account with the same address (other case) was created")
        } catch let error as StoreError {
            try expectEqual(error.code, .conflict, "error code")
        }
        let second = try await store.createMember(
            email: email("alan@example.org"), displayName: "Alan", passwordHash: "h", role: .member, at: now)
        try expect(second.id != first.id, "ids differ")
    }

    static func passwords(_ store: any MemberStore) async throws {
        let member = try await store.createMember(
            email: email("a@example.org"), displayName: "A", passwordHash: "old", role: .member, at: now)
        try await store.setPasswordHash("new", memberID: member.id)
        try expectEqual(try await store.passwordHash(memberID: member.id), "new", "replaced")
        do {
            try await store.setPasswordHash("x", memberID: member.id + 99)
            try expect(false, "setting the password of an unknown member succeeded")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "error code")
        }
    }

    static func sessions(_ store: any MemberStore) async throws {
        let a = try await store.createMember(
            email: email("a@example.org"), displayName: "A", passwordHash: "h", role: .member, at: now)
        let b = try await store.createMember(
            email: email("b@example.org"), displayName: "B", passwordHash: "h", role: .member, at: now)
        let hour: TimeInterval = 3600
        let sessions = [
            StoredSession(tokenHash: "a1", memberID: a.id, created: now, expires: now + hour),
            StoredSession(tokenHash: "a2", memberID: a.id, created: now, expires: now + 2 * hour),
            StoredSession(tokenHash: "b1", memberID: b.id, created: now, expires: now + hour),
        ]
        for session in sessions { try await store.createSession(session) }
        try expectEqual(try await store.session(tokenHash: "a1", now: now), sessions[0], "a live session")
        try expect(try await store.session(tokenHash: "a1", now: now + 2 * hour) == nil, "expired")
        try expect(try await store.session(tokenHash: "zz", now: now) == nil, "unknown")
        try await store.deleteSession(tokenHash: "a1")
        try expect(try await store.session(tokenHash: "a1", now: now) == nil, "ended")
        try await store.deleteSessions(memberID: a.id)
        try expect(try await store.session(tokenHash: "a2", now: now) == nil, "all of a's ended")
        try expectEqual(try await store.session(tokenHash: "b1", now: now), sessions[2], "b's untouched")
    }
}
