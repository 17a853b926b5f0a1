public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Accounts, sessions, sign-ups and API tokens (tables `member`, `session`, `pending_signup` and
/// `api_token`), as in SQLite. Where SQLite relies on writers taking turns, the unique keys decide
/// here: two nodes making one address's account at once make one, and the other gets `conflict`.
extension PostgresStore: MemberStore {
    public func createMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date,
        emailVerified: Date?
    ) async throws -> Member {
        let inserted = try await self.rows(
            Self.insertMember(
                email: email, displayName: displayName, passwordHash: passwordHash, role: role, at: date,
                emailVerified: emailVerified))
        guard let row = inserted.first else {
            throw StoreError(.conflict, "an account with the address \(email) already exists")
        }
        let id = try PostgresStore.decode(row, Int64.self, table: "member")
        return Member(
            id: id, email: email, displayName: displayName, role: role, created: date, emailVerified: emailVerified)
    }

    /// The insert of a member row, returning its id; it returns no row when the address is taken
    /// (the unique `email_key` decides, so that two sign-ups of one address at once make one
    /// account: the second waits for the first to commit, then inserts nothing).
    private static func insertMember(
        email: EmailAddress, displayName: String, passwordHash: String, role: Member.Role, at date: Date,
        emailVerified: Date?
    ) -> PostgresQuery {
        """
        INSERT INTO member (email, email_key, display_name, password_hash, role, created, email_verified)
        VALUES (
            \(email.rawValue), \(email.normalized), \(displayName), \(passwordHash), \(role.rawValue),
            \(date.timeIntervalSince1970), \(emailVerified?.timeIntervalSince1970))
        ON CONFLICT (email_key) DO NOTHING
        RETURNING id
        """
    }

    public func setEmailVerified(memberID: Int64, at date: Date) async throws {
        try await self.updateMember(
            memberID,
            "UPDATE member SET email_verified = \(date.timeIntervalSince1970) WHERE id = \(memberID) RETURNING id")
    }

    public func savePendingSignUp(
        email: EmailAddress, displayName: String, passwordHash: String, at date: Date
    ) async throws -> PendingSignUp {
        // SQLite deletes the address's older sign-up, then inserts. One upsert does both here, and
        // without a race: two sign-ups of one address at once would otherwise both find nothing to
        // delete, and the second insert would break the unique key. `id = DEFAULT` gives the row a
        // new id (identity columns allow only that), so that the older link stops working.
        let rows = try await self.rows(
            """
            INSERT INTO pending_signup (email, email_key, display_name, password_hash, created)
            VALUES (
                \(email.rawValue), \(email.normalized), \(displayName), \(passwordHash),
                \(date.timeIntervalSince1970))
            ON CONFLICT (email_key) DO UPDATE SET
                id = DEFAULT, email = excluded.email, display_name = excluded.display_name,
                password_hash = excluded.password_hash, created = excluded.created
            RETURNING id
            """)
        guard let row = rows.first else { throw StoreError(.io, "pending_signup: the insert returned no id") }
        let id = try PostgresStore.decode(row, Int64.self, table: "pending_signup")
        return PendingSignUp(
            id: id, email: email, displayName: displayName, passwordHash: passwordHash, created: date)
    }

    public func pendingSignUp(id: Int64) async throws -> PendingSignUp? {
        try await self.rows(
            "SELECT \(unescaped: Self.pendingSignUpColumns) FROM pending_signup WHERE id = \(id)"
        ).first.map { try Self.pendingSignUpRow($0) }
    }

    public func completeSignUp(id: Int64, at date: Date) async throws -> Member {
        // Both failures throw, rolling back: nothing has been written when they do.
        try await self.transaction { (connection) async throws -> Member in
            // Locked, so that a second click waits for the first, then finds the sign-up gone.
            guard
                let row = try await connection.rows(
                    "SELECT \(unescaped: Self.pendingSignUpColumns) FROM pending_signup WHERE id = \(id) FOR UPDATE",
                    logger: self.logger
                ).first
            else { throw StoreError(.notFound, "no pending sign-up with id \(id)") }
            let signUp = try Self.pendingSignUpRow(row)
            let inserted = try await connection.rows(
                Self.insertMember(
                    email: signUp.email, displayName: signUp.displayName, passwordHash: signUp.passwordHash,
                    role: .member, at: date, emailVerified: date),
                logger: self.logger)
            guard let memberRow = inserted.first else {
                throw StoreError(.conflict, "an account with the address \(signUp.email) already exists")
            }
            let memberID = try PostgresStore.decode(memberRow, Int64.self, table: "member")
            try await connection.execute("DELETE FROM pending_signup WHERE id = \(id)", logger: self.logger)
            return Member(
                id: memberID, email: signUp.email, displayName: signUp.displayName, role: .member, created: date,
                emailVerified: date)
        }
    }

    private static let pendingSignUpColumns = "id, email, display_name, password_hash, created"

    /// A pending sign-up from the columns of ``pendingSignUpColumns``.
    private static func pendingSignUpRow(_ row: PostgresRow) throws -> PendingSignUp {
        let (id, text, displayName, passwordHash, created) = try PostgresStore.decode(
            row, (Int64, String, String, String, Double).self, table: "pending_signup")
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "pending sign-up \(id): column email: \(error.message)")
        }
        return PendingSignUp(
            id: id, email: email, displayName: displayName, passwordHash: passwordHash,
            created: Date(timeIntervalSince1970: created))
    }

    public func deleteAPITokens(memberID: Int64) async throws {
        try await self.execute("DELETE FROM api_token WHERE member_id = \(memberID)")
    }

    public func member(id: Int64) async throws -> Member? {
        try await self.rows("SELECT \(unescaped: Self.memberColumns) FROM member WHERE id = \(id)")
            .first.map { try Self.memberRow($0) }
    }

    public func members(ids: [Int64]) async throws -> [Int64: Member] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        // One array parameter however many ids (SQLite binds them in chunks).
        let rows = try await self.rows(
            "SELECT \(unescaped: Self.memberColumns) FROM member WHERE id = ANY(\(unique))")
        var found: [Int64: Member] = [:]
        for row in rows {
            let member = try Self.memberRow(row)
            found[member.id] = member
        }
        return found
    }

    public func member(email: EmailAddress) async throws -> Member? {
        try await self.rows(
            "SELECT \(unescaped: Self.memberColumns) FROM member WHERE email_key = \(email.normalized)"
        ).first.map { try Self.memberRow($0) }
    }

    public func passwordHash(memberID: Int64) async throws -> String? {
        try await self.rows("SELECT password_hash FROM member WHERE id = \(memberID)")
            .first.map { try PostgresStore.decode($0, String.self, table: "member") }
    }

    public func setPasswordHash(_ hash: String, memberID: Int64) async throws {
        try await self.updateMember(
            memberID, "UPDATE member SET password_hash = \(hash) WHERE id = \(memberID) RETURNING id")
    }

    public func createSession(_ session: StoredSession) async throws {
        // SQLite's INSERT OR REPLACE: the one unique key of `session` is its token hash.
        try await self.execute(
            """
            INSERT INTO session (token_hash, member_id, created, expires)
            VALUES (
                \(session.tokenHash), \(session.memberID), \(session.created.timeIntervalSince1970),
                \(session.expires.timeIntervalSince1970))
            ON CONFLICT (token_hash) DO UPDATE SET
                member_id = excluded.member_id, created = excluded.created, expires = excluded.expires
            """)
    }

    public func session(tokenHash: String, now: Date) async throws -> StoredSession? {
        let rows = try await self.rows(
            """
            SELECT token_hash, member_id, created, expires FROM session
            WHERE token_hash = \(tokenHash) AND expires > \(now.timeIntervalSince1970)
            """)
        guard let row = rows.first else { return nil }
        let (hash, memberID, created, expires) = try PostgresStore.decode(
            row, (String, Int64, Double, Double).self, table: "session")
        return StoredSession(
            tokenHash: hash, memberID: memberID, created: Date(timeIntervalSince1970: created),
            expires: Date(timeIntervalSince1970: expires))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await self.execute("DELETE FROM session WHERE token_hash = \(tokenHash)")
    }

    public func deleteSessions(memberID: Int64) async throws {
        try await self.execute("DELETE FROM session WHERE member_id = \(memberID)")
    }

    public func setRole(_ role: Member.Role, memberID: Int64) async throws {
        try await self.updateMember(
            memberID, "UPDATE member SET role = \(role.rawValue) WHERE id = \(memberID) RETURNING id")
    }

    public func createAPIToken(memberID: Int64, name: String, tokenHash: String, at date: Date) async throws -> APIToken
    {
        let rows = try await self.rows(
            """
            INSERT INTO api_token (member_id, name, token_hash, created)
            VALUES (\(memberID), \(name), \(tokenHash), \(date.timeIntervalSince1970))
            RETURNING id
            """)
        guard let row = rows.first else { throw StoreError(.io, "api_token: the insert returned no id") }
        let id = try PostgresStore.decode(row, Int64.self, table: "api_token")
        return APIToken(id: id, memberID: memberID, name: name, created: date)
    }

    public func member(apiTokenHash: String) async throws -> Member? {
        try await self.rows(
            """
            SELECT m.id, m.email, m.display_name, m.role, m.created, m.email_verified
            FROM api_token t JOIN member m ON m.id = t.member_id WHERE t.token_hash = \(apiTokenHash)
            """
        ).first.map { try Self.memberRow($0) }
    }

    public func apiTokens(memberID: Int64) async throws -> [APIToken] {
        var tokens: [APIToken] = []
        for row in try await self.rows(
            "SELECT id, member_id, name, created FROM api_token WHERE member_id = \(memberID) ORDER BY id")
        {
            let (id, owner, name, created) = try PostgresStore.decode(
                row, (Int64, Int64, String, Double).self, table: "api_token")
            tokens.append(APIToken(id: id, memberID: owner, name: name, created: Date(timeIntervalSince1970: created)))
        }
        return tokens
    }

    public func deleteAPIToken(id: Int64, memberID: Int64) async throws {
        try await self.execute("DELETE FROM api_token WHERE id = \(id) AND member_id = \(memberID)")
    }

    /// Runs an `UPDATE … RETURNING id` of one member; `notFound` when it changed no row.
    private func updateMember(_ memberID: Int64, _ query: PostgresQuery) async throws {
        let changed = try await self.rows(query)
        guard !changed.isEmpty else { throw StoreError(.notFound, "no member with id \(memberID)") }
    }

    private static let memberColumns = "id, email, display_name, role, created, email_verified"

    /// A member from the columns of ``memberColumns``.
    private static func memberRow(_ row: PostgresRow) throws -> Member {
        let (id, text, displayName, roleText, created, verified) = try PostgresStore.decode(
            row, (Int64, String, String, String, Double, Double?).self, table: "member")
        let email: EmailAddress
        do {
            email = try EmailAddress(parsing: text)
        } catch {
            throw StoreError(.corruptRow, "member \(id): column email: \(error.message)")
        }
        guard let role = Member.Role(rawValue: roleText) else {
            throw StoreError(.corruptRow, "member \(id): column role: \"\(roleText)\" is not a role")
        }
        return Member(
            id: id, email: email, displayName: displayName, role: role, created: Date(timeIntervalSince1970: created),
            emailVerified: verified.map(Date.init(timeIntervalSince1970:)))
    }
}
