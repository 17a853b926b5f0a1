public import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Accounts and sessions live in the same file as the papers (tables `member` and `session`).
extension SQLitePaperStore: MemberStore {
    public func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date,
        emailVerified: Date?
    ) async throws -> Member {
        let id: Int64? = try await self.write { db in
            try Self.insertMember(
                db, email: email, displayName: displayName, passwordHash: passwordHash, role: role, at: date,
                emailVerified: emailVerified)
        }
        guard let id else { throw StoreError(.conflict, "an account with the address \(email) already exists") }
        return Member(
            id: id, email: email, displayName: displayName, role: role, created: date, emailVerified: emailVerified)
    }

    /// Inserts a member row; `nil` when the address is taken.
    private static func insertMember(
        _ db: Database, email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role,
        at date: Date, emailVerified: Date?
    ) throws -> Int64? {
        let taken =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM member WHERE email_key = ?)", arguments: [email.normalized])
            ?? false
        guard !taken else { return nil }
        try db.execute(
            sql: """
                INSERT INTO member (email, email_key, display_name, password_hash, role, created, email_verified)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                email.rawValue, email.normalized, displayName, passwordHash, role.rawValue,
                date.timeIntervalSince1970, emailVerified?.timeIntervalSince1970,
            ])
        return db.lastInsertedRowID
    }

    public func setEmailVerified(memberID: Int64, at date: Date) async throws {
        let changed = try await self.write { db in
            try db.execute(
                sql: "UPDATE member SET email_verified = ? WHERE id = ?",
                arguments: [date.timeIntervalSince1970, memberID])
            return db.changesCount
        }
        guard changed > 0 else { throw StoreError(.notFound, "no member with id \(memberID)") }
    }

    public func savePendingSignUp(
        email: EmailAddress, displayName: String, passwordHash: String, at date: Date
    ) async throws -> PendingSignUp {
        let id = try await self.write { db in
            try db.execute(sql: "DELETE FROM pending_signup WHERE email_key = ?", arguments: [email.normalized])
            try db.execute(
                sql: """
                    INSERT INTO pending_signup (email, email_key, display_name, password_hash, created)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [email.rawValue, email.normalized, displayName, passwordHash, date.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        return PendingSignUp(
            id: id, email: email, displayName: displayName, passwordHash: passwordHash, created: date)
    }

    public func pendingSignUp(id: Int64) async throws -> PendingSignUp? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, email, display_name, password_hash, created FROM pending_signup WHERE id = ?",
                arguments: [id]
            ).map(Self.pendingSignUp)
        }
    }

    public func completeSignUp(id: Int64, at date: Date) async throws -> Member {
        let outcome: Result<Member, StoreError> = try await self.write { db in
            guard
                let signUp = try Row.fetchOne(
                    db, sql: "SELECT id, email, display_name, password_hash, created FROM pending_signup WHERE id = ?",
                    arguments: [id]
                ).map(Self.pendingSignUp)
            else { return .failure(StoreError(.notFound, "no pending sign-up with id \(id)")) }
            guard
                let memberID = try Self.insertMember(
                    db, email: signUp.email, displayName: signUp.displayName, passwordHash: signUp.passwordHash,
                    role: .member, at: date, emailVerified: date)
            else {
                return .failure(StoreError(.conflict, "an account with the address \(signUp.email) already exists"))
            }
            try db.execute(sql: "DELETE FROM pending_signup WHERE id = ?", arguments: [id])
            return .success(
                Member(
                    id: memberID, email: signUp.email, displayName: signUp.displayName, role: .member, created: date,
                    emailVerified: date))
        }
        return try outcome.get()
    }

    private static func pendingSignUp(_ row: Row) throws -> PendingSignUp {
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: row[1])
        } catch {
            throw StoreError(.corruptRow, "pending sign-up \(row[0] as Int64): column email: \(error.message)")
        }
        return PendingSignUp(
            id: row[0], email: email, displayName: row[2], passwordHash: row[3],
            created: Date(timeIntervalSince1970: row[4]))
    }

    public func deleteAPITokens(memberID: Int64) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE member_id = ?", arguments: [memberID])
        }
    }

    public func member(id: Int64) async throws -> Member? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.memberColumns) FROM member WHERE id = ?", arguments: [id])
                .map(Self.member)
        }
    }

    public func members(ids: [Int64]) async throws -> [Int64: Member] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return try await self.read { db in
            var found: [Int64: Member] = [:]
            try Self.inChunks(unique) { marks, chunk in
                for row in try Row.fetchAll(
                    db, sql: "SELECT \(Self.memberColumns) FROM member WHERE id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                {
                    let member = try Self.member(row)
                    found[member.id] = member
                }
            }
            return found
        }
    }

    public func member(email: EmailAddress) async throws -> Member? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.memberColumns) FROM member WHERE email_key = ?", arguments: [email.normalized]
            ).map(Self.member)
        }
    }

    public func passwordHash(memberID: Int64) async throws -> String? {
        try await self.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM member WHERE id = ?", arguments: [memberID])
        }
    }

    public func setPasswordHash(_ hash: String, memberID: Int64) async throws {
        let changed = try await self.write { db in
            try db.execute(sql: "UPDATE member SET password_hash = ? WHERE id = ?", arguments: [hash, memberID])
            return db.changesCount
        }
        guard changed > 0 else { throw StoreError(.notFound, "no member with id \(memberID)") }
    }

    public func createSession(_ session: StoredSession) async throws {
        try await self.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO session (token_hash, member_id, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [
                    session.tokenHash, session.memberID, session.created.timeIntervalSince1970,
                    session.expires.timeIntervalSince1970,
                ])
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> StoredSession? {
        try await self.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT token_hash, member_id, created, expires FROM session WHERE token_hash = ? AND expires > ?",
                arguments: [tokenHash, now.timeIntervalSince1970]
            ).map {
                StoredSession(
                    tokenHash: $0[0], memberID: $0[1], created: Date(timeIntervalSince1970: $0[2]),
                    expires: Date(timeIntervalSince1970: $0[3]))
            }
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func deleteSessions(memberID: Int64) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM session WHERE member_id = ?", arguments: [memberID])
        }
    }

    public func setRole(_ role: Member.Role, memberID: Int64) async throws {
        let changed = try await self.write { db in
            try db.execute(sql: "UPDATE member SET role = ? WHERE id = ?", arguments: [role.rawValue, memberID])
            return db.changesCount
        }
        guard changed > 0 else { throw StoreError(.notFound, "no member with id \(memberID)") }
    }

    public func createAPIToken(memberID: Int64, name: String, tokenHash: String, at date: Date) async throws -> APIToken
    {
        let id = try await self.write { db in
            try db.execute(
                sql: "INSERT INTO api_token (member_id, name, token_hash, created) VALUES (?, ?, ?, ?)",
                arguments: [memberID, name, tokenHash, date.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        return APIToken(id: id, memberID: memberID, name: name, created: date)
    }

    public func member(apiTokenHash: String) async throws -> Member? {
        try await self.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT m.id, m.email, m.display_name, m.role, m.created, m.email_verified
                    FROM api_token t JOIN member m ON m.id = t.member_id WHERE t.token_hash = ?
                    """,
                arguments: [apiTokenHash]
            ).map(Self.member)
        }
    }

    public func apiTokens(memberID: Int64) async throws -> [APIToken] {
        try await self.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, member_id, name, created FROM api_token WHERE member_id = ? ORDER BY id",
                arguments: [memberID]
            ).map { APIToken(id: $0[0], memberID: $0[1], name: $0[2], created: Date(timeIntervalSince1970: $0[3])) }
        }
    }

    public func deleteAPIToken(id: Int64, memberID: Int64) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE id = ? AND member_id = ?", arguments: [id, memberID])
        }
    }

    private static let memberColumns = "id, email, display_name, role, created, email_verified"

    private static func member(_ row: Row) throws -> Member {
        let text: String = row[1]
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "member \(row[0] as Int64): column email: \(error.message)")
        }
        guard let role = Member.Role(rawValue: row[3]) else {
            throw StoreError(
                .corruptRow, "member \(row[0] as Int64): column role: \"\(row[3] as String)\" is not a role")
        }
        return Member(
            id: row[0], email: email, displayName: row[2], role: role, created: Date(timeIntervalSince1970: row[4]),
            emailVerified: (row[5] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
