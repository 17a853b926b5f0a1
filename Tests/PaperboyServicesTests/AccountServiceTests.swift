import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore
import Testing

@Suite("Accounts")
struct AccountServiceTests {
    static func service() -> AccountService { AccountService(store: MemoryMemberStore(), cost: 4) }

    @Test("sign up, sign in with a new session each time, find the member by token, sign out")
    func lifecycle() async throws {
        let accounts = Self.service()
        let member = try await accounts.signUp(
            email: "ada@example.org", displayName: " Ada ", password: "correct horse")
        #expect(member.displayName == "Ada")
        let first = try await accounts.signIn(email: "ADA@example.org", password: "correct horse")
        let second = try await accounts.signIn(email: "ada@example.org", password: "correct horse")
        #expect(first.token != second.token, "every sign-in makes a new session")
        #expect(try await accounts.member(sessionToken: first.token)?.id == member.id)
        try await accounts.signOut(sessionToken: first.token)
        #expect(try await accounts.member(sessionToken: first.token) == nil)
        #expect(try await accounts.member(sessionToken: second.token)?.id == member.id, "other sessions stay")
        let later = Date().addingTimeInterval(31 * 86_400)
        #expect(try await accounts.member(sessionToken: second.token, now: later) == nil, "sessions expire")
    }

    @Test("the stored password is a bcrypt hash, never the password")
    func hashed() async throws {
        let store = MemoryMemberStore()
        let accounts = AccountService(store: store, cost: 4)
        let member = try await accounts.signUp(email: "a@example.org", displayName: "A", password: "0123456789")
        let hash = try #require(try await store.passwordHash(memberID: member.id))
        #expect(hash.hasPrefix("$2b$04$") && !hash.contains("0123456789"))
    }

    @Test("bad input names its field; a taken address is a conflict; wrong passwords look like wrong addresses")
    func errors() async throws {
        let accounts = Self.service()
        _ = try await accounts.signUp(email: "a@example.org", displayName: "A", password: "0123456789")
        let cases: [(String, String, String, String)] = [
            ("not an address", "A", "0123456789", "email"), ("b@example.org", "  ", "0123456789", "name"),
            ("b@example.org", "B", "short", "password"),
            ("b@example.org", "B", String(repeating: "é", count: 40), "password"),
        ]
        for (email, name, password, field) in cases {
            do {
                _ = try await accounts.signUp(email: email, displayName: name, password: password)
                Issue.record("\(field) should have been refused")
            } catch let error as ServiceError {
                #expect(error.code == .invalidInput && error.field == field, "\(error)")
            }
        }
        await #expect(
            throws: ServiceError(.conflict, field: "email", "an account with the address A@example.org already exists")
        ) {
            _ = try await accounts.signUp(email: "A@example.org", displayName: "A2", password: "0123456789")
        }
        var messages: Set<String> = []
        for (email, password) in [("a@example.org", "wrong password"), ("nobody@example.org", "0123456789")] {
            do {
                _ = try await accounts.signIn(email: email, password: password)
            } catch let error as ServiceError {
                #expect(error.code == .unauthorized)
                messages.insert(error.message)
            }
        }
        #expect(messages.count == 1, "the same words for a wrong address and a wrong password")
    }

    @Test("sign-in attempts are limited per address")
    func rateLimit() async throws {
        let accounts = Self.service()
        _ = try await accounts.signUp(email: "a@example.org", displayName: "A", password: "0123456789")
        let now = Date()
        var codes: [ServiceError.Code] = []
        for _ in 0..<6 {
            do {
                _ = try await accounts.signIn(email: "a@example.org", password: "wrong password", now: now)
            } catch let error as ServiceError {
                codes.append(error.code)
            }
        }
        #expect(codes == Array(repeating: .unauthorized, count: 5) + [.rateLimited])
        await #expect(throws: ServiceError.self) {
            _ = try await accounts.signIn(email: "a@example.org", password: "0123456789", now: now)
        }
        let later = now.addingTimeInterval(60)
        #expect(try await accounts.signIn(email: "a@example.org", password: "0123456789", now: later).member.id > 0)
    }
}
