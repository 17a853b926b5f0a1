import Foundation
import PaperboyMail
import PaperboyModel
import PaperboySecurity
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("Accounts")
struct AccountServiceTests {
    static let key = Array("account tests key, 32 bytes long".utf8)

    struct Fixture {
        let store = MemoryMemberStore()
        let mail = RecordingMailTransport()
        let accounts: AccountService

        init(cost: UInt8 = 4, rateLimits: (any RateLimitStore)? = nil) throws {
            self.accounts = AccountService(
                store: self.store, rateLimits: rateLimits, cost: cost, transport: self.mail,
                settings: try MailSettings(baseURL: "https://papers.example.org", key: AccountServiceTests.key))
        }

        /// The token of the last link to `path` mailed to `address`.
        func link(_ path: String, to address: String) -> String? {
            for message in self.mail.sent.reversed() where message.to.map(\.address) == [address] {
                guard let range = message.text.range(of: "https://papers.example.org" + path) else { continue }
                return String(message.text[range.upperBound...].prefix { !$0.isWhitespace })
            }
            return nil
        }

        /// Signs up and follows the link in the same browser.
        func member(_ email: String, password: String = "correct horse") async throws -> Member {
            let receipt = try await self.accounts.signUp(
                email: email, displayName: "M", password: password, client: "test")
            let token = try #require(self.link("/signup/confirm?token=", to: email))
            return try await self.accounts.confirmSignUp(
                token: token, browserProof: receipt.browserProof, password: nil
            ).member
        }
    }

    @Test("sign-up mails a link and makes no account; the link makes a proven account and a session")
    func signUpByLink() async throws {
        let fixture = try Fixture()
        let receipt = try await fixture.accounts.signUp(
            email: " ada@example.org ", displayName: " Ada ", password: "correct horse", client: "test")
        #expect(receipt.address == "ada@example.org")
        #expect(try await fixture.store.member(email: EmailAddress(parsing: "ada@example.org")) == nil)
        await #expect(throws: ServiceError.self) {
            _ = try await fixture.accounts.signIn(email: "ada@example.org", password: "correct horse", client: "test")
        }
        let token = try #require(fixture.link("/signup/confirm?token=", to: "ada@example.org"))
        let made = try await fixture.accounts.confirmSignUp(
            token: token, browserProof: receipt.browserProof, password: nil)
        #expect(made.member.displayName == "Ada")
        #expect(made.member.emailVerified != nil)
        #expect(try await fixture.accounts.member(sessionToken: made.token)?.id == made.member.id)
        // Used once.
        await #expect(throws: ServiceError.self) {
            _ = try await fixture.accounts.confirmSignUp(
                token: token, browserProof: receipt.browserProof, password: nil)
        }
        let first = try await fixture.accounts.signIn(
            email: "ADA@example.org", password: "correct horse", client: "test")
        let second = try await fixture.accounts.signIn(
            email: "ada@example.org", password: "correct horse", client: "test")
        #expect(first.token != second.token, "every sign-in makes a new session")
        try await fixture.accounts.signOut(sessionToken: first.token)
        #expect(try await fixture.accounts.member(sessionToken: first.token) == nil)
        #expect(try await fixture.accounts.member(sessionToken: second.token)?.id == made.member.id)
        let later = Date().addingTimeInterval(31 * 86_400)
        #expect(try await fixture.accounts.member(sessionToken: second.token, now: later) == nil, "sessions expire")
    }

    @Test("the link in another browser asks for the password chosen at sign-up; a wrong one makes nothing")
    func linkElsewhere() async throws {
        let fixture = try Fixture()
        _ = try await fixture.accounts.signUp(
            email: "ada@example.org", displayName: "Ada", password: "correct horse", client: "test")
        let token = try #require(fixture.link("/signup/confirm?token=", to: "ada@example.org"))
        for (proof, password) in [(nil, nil), ("forged", nil), (nil, "wrong password")] as [(String?, String?)] {
            do {
                _ = try await fixture.accounts.confirmSignUp(token: token, browserProof: proof, password: password)
                Issue.record("confirmed without a proof")
            } catch let error as ServiceError {
                #expect(error.code == .unauthorized && error.field == "password")
            }
        }
        #expect(try await fixture.store.member(email: EmailAddress(parsing: "ada@example.org")) == nil)
        let made = try await fixture.accounts.confirmSignUp(token: token, browserProof: nil, password: "correct horse")
        #expect(made.member.email.rawValue == "ada@example.org")
    }

    @Test("a second sign-up replaces the first: only the newest link works")
    func newestLinkOnly() async throws {
        let fixture = try Fixture()
        let first = try await fixture.accounts.signUp(
            email: "ada@example.org", displayName: "Ada", password: "first password", client: "test")
        let firstToken = try #require(fixture.link("/signup/confirm?token=", to: "ada@example.org"))
        _ = try await fixture.accounts.signUp(
            email: "ada@example.org", displayName: "Ada", password: "second password", client: "test")
        await #expect(throws: ServiceError.self) {
            _ = try await fixture.accounts.confirmSignUp(
                token: firstToken, browserProof: first.browserProof, password: "first password")
        }
    }

    @Test("signing up with an address that has an account answers the same and tells its owner by mail")
    func noEnumeration() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.member("ada@example.org")
        let sentBefore = fixture.mail.sent.count
        let receipt = try await fixture.accounts.signUp(
            email: "Ada@Example.org", displayName: "Mallory", password: "mallory's password", client: "test")
        #expect(receipt.address == "Ada@Example.org")
        #expect(!receipt.browserProof.isEmpty)
        let note = try #require(fixture.mail.sent.last)
        #expect(fixture.mail.sent.count == sentBefore + 1)
        #expect(note.to.map(\.address) == ["ada@example.org"])
        #expect(note.text.contains("already has one") && !note.text.contains("/signup/confirm"))
        #expect(
            try await fixture.store.passwordHash(memberID: ada.id).map {
                PasswordHasher.verify("correct horse", hash: $0)
            } == true)
        // An account made before addresses were checked, perhaps by someone else: the owner of the
        // address gets a link that takes it over (a new password, everyone else signed out).
        let legacy = try await fixture.store.createMember(
            email: EmailAddress(parsing: "old@example.org"), displayName: "Squatter",
            passwordHash: PasswordHasher.hash("squatter's password", cost: 4), role: .member, at: Date())
        #expect(legacy.emailVerified == nil)
        let squatter = try await fixture.accounts.signIn(
            email: "old@example.org", password: "squatter's password", client: "elsewhere")
        _ = try await fixture.accounts.signUp(
            email: "old@example.org", displayName: "X", password: "0123456789", client: "test")
        let claim = try #require(fixture.mail.sent.last)
        #expect(claim.to.map(\.address) == ["old@example.org"] && claim.text.contains("may not be yours"))
        let token = try #require(fixture.link("/reset/", to: "old@example.org"))
        try await fixture.accounts.resetPassword(token: token, newPassword: "the owner's password")
        #expect(try await fixture.accounts.member(sessionToken: squatter.token) == nil, "the squatter is out")
        #expect(try await fixture.store.member(id: legacy.id)?.emailVerified != nil)
    }

    @Test("a wrong address costs a bcrypt check like a wrong password")
    func dummyHash() async throws {
        let fixture = try Fixture(cost: 10)
        _ = try await fixture.member("ada@example.org", password: "correct horse")
        func elapsed(_ email: String, client: String) async -> Duration {
            let clock = ContinuousClock()
            let start = clock.now
            _ = try? await fixture.accounts.signIn(email: email, password: "wrong password", client: client)
            return clock.now - start
        }
        var known: [Duration] = []
        var unknown: [Duration] = []
        for round in 0..<3 {
            known.append(await elapsed("ada@example.org", client: "k\(round)"))
            unknown.append(await elapsed("nobody@example.org", client: "u\(round)"))
        }
        // Without the dummy hash the unknown address answers in microseconds, the known in tens of ms.
        #expect(unknown.min()! * 3 > known.min()!, "known \(known), unknown \(unknown)")
    }

    @Test("the stored password is a bcrypt hash, never the password")
    func hashed() async throws {
        let fixture = try Fixture()
        let member = try await fixture.member("a@example.org", password: "0123456789")
        let hash = try #require(try await fixture.store.passwordHash(memberID: member.id))
        #expect(hash.hasPrefix("$2b$04$") && !hash.contains("0123456789"))
    }

    @Test(
        "bad input names its field and stores nothing; one address rule, the mail layer's",
        arguments: [
            ("not an address", "A", "0123456789", "email"), ("<script>@x.org", "A", "0123456789", "email"),
            ("a(b)@example.org", "A", "0123456789", "email"), ("b@example.org", "  ", "0123456789", "name"),
            ("b@example.org", "B\u{202E}evil", "0123456789", "name"), ("b@example.org", "B", "short", "password"),
            ("b@example.org", "Z" + String(repeating: "\u{301}", count: 20_000), "0123456789", "name"),
            ("b@example.org", "B", String(repeating: "é", count: 40), "password"),
        ])
    func errors(email: String, name: String, password: String, field: String) async throws {
        let fixture = try Fixture()
        do {
            _ = try await fixture.accounts.signUp(email: email, displayName: name, password: password, client: "test")
            Issue.record("\(field) should have been refused")
        } catch let error as ServiceError {
            #expect(error.code == .invalidInput && error.field == field, "\(error)")
        }
        #expect(fixture.mail.sent.isEmpty)
        #expect(try await fixture.store.pendingSignUp(id: 1) == nil, "no pending row")
    }

    @Test("wrong passwords look like wrong addresses")
    func sameWords() async throws {
        let fixture = try Fixture()
        _ = try await fixture.member("a@example.org", password: "0123456789")
        var messages: Set<String> = []
        for (email, password) in [("a@example.org", "wrong password"), ("nobody@example.org", "0123456789")] {
            do {
                _ = try await fixture.accounts.signIn(email: email, password: password, client: "test")
            } catch let error as ServiceError {
                #expect(error.code == .unauthorized)
                messages.insert(error.message)
            }
        }
        #expect(messages.count == 1, "the same words for a wrong address and a wrong password")
    }

    @Test("sign-in limits key on the parsed address: line breaks or U+2028 around it get no fresh bucket")
    func normalizedLimit() async throws {
        let fixture = try Fixture()
        _ = try await fixture.member("bob@example.org", password: "0123456789")
        let now = Date()
        let variants = [
            "bob@example.org", "bob@example.org\n\n", "\u{2028}bob@example.org", " BOB@example.org\r\n",
            "bob@EXAMPLE.org\t", "\u{2029}bob@example.org",
        ]
        var codes: [ServiceError.Code] = []
        for variant in variants {
            do {
                _ = try await fixture.accounts.signIn(
                    email: variant, password: "wrong password", client: "test", now: now)
            } catch let error as ServiceError {
                codes.append(error.code)
            }
        }
        #expect(codes == Array(repeating: .unauthorized, count: 5) + [.rateLimited])
        let later = now.addingTimeInterval(60)
        #expect(
            try await fixture.accounts.signIn(
                email: "bob@example.org", password: "0123456789", client: "test", now: later
            ).member.id
                > 0)
    }

    @Test("a stranger's failed sign-ins hold back the stranger's client, not the owner's")
    func perClient() async throws {
        let fixture = try Fixture()
        _ = try await fixture.member("bob@example.org", password: "0123456789")
        let now = Date()
        for _ in 0..<5 {
            _ = try? await fixture.accounts.signIn(
                email: "bob@example.org", password: "guess", client: "203.0.113.9", now: now)
        }
        await #expect(
            throws: ServiceError(.rateLimited, "too many sign-in attempts for this address; try again in a minute")
        ) {
            _ = try await fixture.accounts.signIn(
                email: "bob@example.org", password: "0123456789", client: "203.0.113.9", now: now)
        }
        let owner = try await fixture.accounts.signIn(
            email: "bob@example.org", password: "0123456789", client: "198.51.100.7", now: now)
        #expect(owner.member.email.rawValue == "bob@example.org")
        // One client trying many addresses is held back too.
        var codes: [ServiceError.Code] = []
        for n in 0..<25 {
            do {
                _ = try await fixture.accounts.signIn(
                    email: "user\(n)@example.org", password: "guess", client: "192.0.2.1", now: now)
            } catch let error as ServiceError {
                codes.append(error.code)
            }
        }
        #expect(codes.prefix(20).allSatisfy { $0 == .unauthorized })
        #expect(codes.suffix(5).allSatisfy { $0 == .rateLimited })
    }

    /// A shared rate-limit store for unit tests: counts the attempts taken per key (no refill),
    /// or fails every call like a database out of reach.
    final class CountingRateLimits: RateLimitStore, @unchecked Sendable {
        // Unchecked: every access to `taken` holds `lock`.
        private let lock = NSLock()
        private var taken: [String: Int] = [:]
        let reachable: Bool
        init(reachable: Bool = true) { self.reachable = reachable }
        var keys: [String] { self.lock.withLock { Array(self.taken.keys) } }
        func takeAttempt(_ key: String, capacity: Int, perMinute: Double, at now: Date) async throws -> Bool {
            guard self.reachable else { throw StoreError(.unavailable, "PostgreSQL: connection refused") }
            return self.lock.withLock {
                self.taken[key, default: 0] += 1
                return self.taken[key]! <= capacity
            }
        }
    }

    @Test("with a shared rate-limit store, sign-in takes its attempts there, keyed without the address")
    func sharedLimits() async throws {
        let shared = CountingRateLimits()
        let fixture = try Fixture(rateLimits: shared)
        _ = try await fixture.member("bob@example.org", password: "0123456789")
        var codes: [ServiceError.Code] = []
        for _ in 0..<6 {
            do {
                _ = try await fixture.accounts.signIn(email: "bob@example.org", password: "guess", client: "192.0.2.1")
            } catch let error as ServiceError {
                codes.append(error.code)
            }
        }
        #expect(codes == Array(repeating: .unauthorized, count: 5) + [.rateLimited])
        let keys = shared.keys
        #expect(keys.contains { $0.hasPrefix("sign-in.account:") })
        #expect(keys.contains { $0.hasPrefix("sign-in.client:") })
        #expect(keys.contains { $0.hasPrefix("sign-up.client:") })
        #expect(!keys.contains { $0.contains("bob") || $0.contains("192.0.2.1") }, "a key holds the address: \(keys)")
    }

    @Test("a shared rate-limit store out of reach refuses the attempt (never lets it through unlimited)")
    func sharedLimitsUnreachable() async throws {
        let fixture = try Fixture(rateLimits: CountingRateLimits(reachable: false))
        let error = await #expect(throws: ServiceError.self) {
            _ = try await fixture.accounts.signIn(email: "bob@example.org", password: "guess", client: "192.0.2.1")
        }
        #expect(error?.code == .unavailable)
        #expect(error?.detail?.contains("connection refused") == true, "the log's detail names the cause")
    }

    @Test("a password reset ends every session, revokes every API token and proves the address")
    func resetRevokes() async throws {
        let fixture = try Fixture()
        let legacy = try await fixture.store.createMember(
            email: EmailAddress(parsing: "old@example.org"), displayName: "Old",
            passwordHash: PasswordHasher.hash("old password 1", cost: 4), role: .member, at: Date())
        let session = try await fixture.accounts.signIn(
            email: "old@example.org", password: "old password 1", client: "test")
        let api = try await fixture.accounts.createAPIToken(for: legacy, name: "script")
        #expect(try await fixture.accounts.member(apiToken: api.token)?.id == legacy.id)
        await try fixture.accounts.requestPasswordReset(email: "old@example.org", client: "test")?.value
        let token = try #require(fixture.link("/reset/", to: "old@example.org"))
        try await fixture.accounts.resetPassword(token: token, newPassword: "new password 2")
        #expect(try await fixture.accounts.member(sessionToken: session.token) == nil)
        #expect(try await fixture.accounts.member(apiToken: api.token) == nil, "the API token is revoked")
        #expect(try await fixture.store.member(id: legacy.id)?.emailVerified != nil)
        await #expect(throws: ServiceError.self) {
            try await fixture.accounts.resetPassword(token: token, newPassword: "third password")
        }
    }

    @Test("an unproven address is proven only by its own member following the link while signed in")
    func addressProof() async throws {
        let fixture = try Fixture()
        let old = try await fixture.store.createMember(
            email: EmailAddress(parsing: "old@example.org"), displayName: "Old", passwordHash: "x", role: .member,
            at: Date())
        let other = try await fixture.store.createMember(
            email: EmailAddress(parsing: "other@example.org"), displayName: "Other", passwordHash: "x",
            role: .member, at: Date())
        try await fixture.accounts.requestAddressProof(for: old)
        let token = try #require(fixture.link("/account/verify?token=", to: "old@example.org"))
        await #expect(throws: ServiceError.self) {
            try await fixture.accounts.proveAddress(token: token, member: other)
        }
        #expect(try await fixture.store.member(id: other.id)?.emailVerified == nil)
        let proven = try await fixture.accounts.proveAddress(token: token, member: old)
        #expect(proven.emailVerified != nil)
        #expect(try await fixture.store.member(id: old.id)?.emailVerified != nil)
    }
}
