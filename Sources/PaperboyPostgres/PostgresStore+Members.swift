public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Accounts, sessions, sign-ups and API tokens (tables `member`, `session`, `pending_signup`,
/// `api_token`).
extension PostgresStore: MemberStore {
    public func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date,
        emailVerified: Date?
    ) async throws -> Member {
        let id = try await self.transaction { connection in
            try await self.insertMember(
                connection, email: email, displayName: displayName, passwordHash: passwordHash, role: role, at: date,
                emailVerified: emailVerified)
        }
        guard let id else { throw StoreError(.conflict, "an account with the address \(email) already exists") }
        return Member(
            id: id, email: email, displayName: displayName, role: role, created: date, emailVerified: emailVerified)
    }

    /// Inserts a member row; `nil` when the address is taken (the unique key decides, so two
    /// nodes signing up one address at once make one account).
    private func insertMember(
        _ connection: PostgresConnection, email: EmailAddress, displayName: String, passwordHash: String,
        role: Member.Role, at date: Date, emailVerified: Date?
    ) async throws -> Int64? {
        let rows = try await connection.rows(
            """
            INSERT INTO member (email, email_key, display_name, password_hash, role, created, email_verified)
            VALUES (\(email.rawValue), \(email.normalized), \(displayName), \(passwordHash), \(role.rawValue),
                \(date.timeIntervalSince1970), \(emailVerified?.timeIntervalSince1970))
            ON CONFLICT (email_key) DO NOTHING
            RETURNING id
            """, logger: self.logger)
        return try rows.first.map { try PostgresStore.decode($0, Int64.self, table: "member") }
    }

    public func setEmailVerified(memberID: Int64, at date: Date) async throws {
        try await self.updateMember(
            memberID,
            "UPDATE member SET email_verified = \(date.timeIntervalSince1970) WHERE id = \(memberID) RETURNING 1")
    }

    public func savePendingSignUp(
        email: EmailAddress, displayName: String, passwordHash: String, at date: Date
    ) async throws -> PendingSignUp {
        let id = try await self.transaction { connection in
            try await connection.execute(
                "DELETE FROM pending_signup WHERE email_key = \(email.normalized)", logger: self.logger)
            let rows = try await connection.rows(
                """
                INSERT INTO pending_signup (email, email_key, display_name, password_hash, created)
                VALUES (\(email.rawValue), \(email.normalized), \(displayName), \(passwordHash),
                    \(date.timeIntervalSince1970))
                RETURNING id
                """, logger: self.logger)
            guard let row = rows.first else { throw StoreError(.io, "pending_signup: no id returned") }
            return try PostgresStore.decode(row, Int64.self, table: "pending_signup")
        }
        return PendingSignUp(id: id, email: email, displayName: displayName, passwordHash: passwordHash, created: date)
    }

    public func pendingSignUp(id: Int64) async throws -> PendingSignUp? {
        try await self.rows(
            "SELECT id, email, display_name, password_hash, created FROM pending_signup WHERE id = \(id)"
        ).first.map(Self.pendingSignUp)
    }

    public func completeSignUp(id: Int64, at date: Date) async throws -> Member {
        let outcome: Result<Member, StoreError> = try await self.transaction { connection in
            // Taken by one request at a time: a second click waits, then finds it gone.
            guard
                let signUp = try await connection.rows(
                    """
                    DELETE FROM pending_signup WHERE id = \(id)
                    RETURNING id, email, display_name, password_hash, created
                    """, logger: self.logger
                ).first.map(Self.pendingSignUp)
            else { return .failure(StoreError(.notFound, "no pending sign-up with id \(id)")) }
            guard
                let memberID = try await self.insertMember(
                    connection, email: signUp.email, displayName: signUp.displayName,
                    passwordHash: signUp.passwordHash, role: .member, at: date, emailVerified: date)
            else {
                throw StoreError(.conflict, "an account with the address \(signUp.email) already exists")
            }
            return .success(
                Member(
                    id: memberID, email: signUp.email, displayName: signUp.displayName, role: .member, created: date,
                    emailVerified: date))
        }
        return try outcome.get()
    }

    private static func pendingSignUp(_ row: PostgresRow) throws -> PendingSignUp {
        let (id, text, name, hash, created) = try PostgresStore.decode(
            row, (Int64, String, String, String, Double).self, table: "pending_signup")
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "pending sign-up \(id): column email: \(error.message)")
        }
        return PendingSignUp(
            id: id, email: email, displayName: name, passwordHash: hash, created: Date(timeIntervalSince1970: created))
    }

    public func deleteAPITokens(memberID: Int64) async throws {
        try await self.execute("DELETE FROM api_token WHERE member_id = \(memberID)")
    }

    public func member(id: Int64) async throws -> Member? {
        try await self.rows("SELECT \(unescaped: Self.memberColumns) FROM member WHERE id = \(id)").first.map(
            Self.member)
    }

    public func members(ids: [Int64]) async throws -> [Int64: Member] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var found: [Int64: Member] = [:]
        for row in try await self.rows("SELECT \(unescaped: Self.memberColumns) FROM member WHERE id = ANY(\(unique))")
        {
            let member = try Self.member(row)
            found[member.id] = member
        }
        return found
    }

    public func member(email: EmailAddress) async throws -> Member? {
        try await self.rows(
            "SELECT \(unescaped: Self.memberColumns) FROM member WHERE email_key = \(email.normalized)"
        ).first.map(Self.member)
    }

    public func passwordHash(memberID: Int64) async throws -> String? {
        try await self.rows("SELECT password_hash FROM member WHERE id = \(memberID)").first.map {
            try PostgresStore.decode($0, String.self, table: "member")
        }
    }

    public func setPasswordHash(_ hash: String, memberID: Int64) async throws {
        try await self.updateMember(
            memberID, "UPDATE member SET password_hash = \(hash) WHERE id = \(memberID) RETURNING 1")
    }

    public func createSession(_ session: StoredSession) async throws {
        try await self.execute(
            """
            INSERT INTO session (token_hash, member_id, created, expires)
            VALUES (\(session.tokenHash), \(session.memberID), \(session.created.timeIntervalSince1970),
                \(session.expires.timeIntervalSince1970))
            ON CONFLICT (token_hash) DO UPDATE
                SET member_id = excluded.member_id, created = excluded.created, expires = excluded.expires
            """)
    }

    public func session(tokenHash: String, now: Date) async throws -> StoredSession? {
        try await self.rows(
            """
            SELECT token_hash, member_id, created, expires FROM session
            WHERE token_hash = \(tokenHash) AND expires > \(now.timeIntervalSince1970)
            """
        ).first.map { row in
            let (hash, memberID, created, expires) = try PostgresStore.decode(
                row, (String, Int64, Double, Double).self, table: "session")
            return StoredSession(
                tokenHash: hash, memberID: memberID, created: Date(timeIntervalSince1970: created),
                expires: Date(timeIntervalSince1970: expires))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await self.execute("DELETE FROM session WHERE token_hash = \(tokenHash)")
    }

    public func deleteSessions(memberID: Int64) async throws {
        try await self.execute("DELETE FROM session WHERE member_id = \(memberID)")
    }

    public func setRole(_ role: Member.Role, memberID: Int64) async throws {
        try await self.updateMember(
            memberID, "UPDATE member SET role = \(role.rawValue) WHERE id = \(memberID) RETURNING 1")
    }

    public func createAPIToken(memberID: Int64, name: String, tokenHash: String, at date: Date) async throws -> APIToken
    {
        let rows = try await self.rows(
            """
            INSERT INTO api_token (member_id, name, token_hash, created)
            VALUES (\(memberID), \(name), \(tokenHash), \(date.timeIntervalSince1970))
            RETURNING id
            """)
        guard let row = rows.first else { throw StoreError(.io, "api_token: no id returned") }
        return APIToken(
            id: try PostgresStore.decode(row, Int64.self, table: "api_token"), memberID: memberID, name: name,
            created: date)
    }

    public func member(apiTokenHash: String) async throws -> Member? {
        try await self.rows(
            """
            SELECT m.id, m.email, m.display_name, m.role, m.created, m.email_verified
            FROM api_token t JOIN member m ON m.id = t.member_id WHERE t.token_hash = \(apiTokenHash)
            """
        ).first.map(Self.member)
    }

    public func apiTokens(memberID: Int64) async throws -> [APIToken] {
        try await self.rows(
            "SELECT id, member_id, name, created FROM api_token WHERE member_id = \(memberID) ORDER BY id"
        ).map { row in
            let (id, memberID, name, created) = try PostgresStore.decode(
                row, (Int64, Int64, String, Double).self, table: "api_token")
            return APIToken(id: id, memberID: memberID, name: name, created: Date(timeIntervalSince1970: created))
        }
    }

    public func deleteAPIToken(id: Int64, memberID: Int64) async throws {
        try await self.execute("DELETE FROM api_token WHERE id = \(id) AND member_id = \(memberID)")
    }

    /// Runs an `UPDATE … RETURNING 1` of one member; `notFound` when it changed no row.
    private func updateMember(_ memberID: Int64, _ query: PostgresQuery) async throws {
        guard !(try await self.rows(query)).isEmpty else {
            throw StoreError(.notFound, "no member with id \(memberID)")
        }
    }

    private static let memberColumns = "id, email, display_name, role, created, email_verified"

    private static func member(_ row: PostgresRow) throws -> Member {
        let (id, text, name, roleName, created, verified) = try PostgresStore.decode(
            row, (Int64, String, String, String, Double, Double?).self, table: "member")
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "member \(id): column email: \(error.message)")
        }
        guard let role = Member.Role(rawValue: roleName) else {
            throw StoreError(.corruptRow, "member \(id): column role: \"\(roleName)\" is not a role")
        }
        return Member(
            id: id, email: email, displayName: name, role: role, created: Date(timeIntervalSince1970: created),
            emailVerified: verified.map(Date.init(timeIntervalSince1970:)))
    }
}
