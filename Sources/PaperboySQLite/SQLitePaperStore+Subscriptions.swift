public import Foundation
import GRDB
public import PaperboyModel
public import PaperboyStore

/// Subscriptions and the digest outbox live in the same file (tables `subscription`, `outbox`,
/// `mailed_paper`). Leases are columns of `outbox`, taken in one `UPDATE … RETURNING`, so two
/// processes on the same file never hold the same digest.
extension SQLitePaperStore: SubscriptionStore {
    /// ``markSent(id:owner:at:)``, blocking until it is durable (``Storage/SentMarking/synchronous(_:)``).
    func markSentNow(id: Int64, owner: String, at date: Date) throws -> Bool {
        do {
            return try self.pool.write { db in try Self.markSent(db, id: id, owner: owner, at: date) }
        } catch {
            throw StoreError(.io, "writing \(self.path): \(Self.describe(error))")
        }
    }

    private static let subscriptionColumns =
        "id, email, member_id, frequency, categories, authors, searches, paper_count, status, created, confirmed, status_reason"

    private static func subscription(_ row: Row) throws -> Subscription {
        let id: Int64 = row[0]
        func list(_ index: Int, _ column: String) throws -> [String] {
            guard let values = JSONStringArray.decode(row[index]) else {
                throw StoreError(.corruptRow, "subscription \(id): column \(column) is not a JSON array of strings")
            }
            return values
        }
        guard let email = try? EmailAddress(parsing: row[1] as String) else {
            throw StoreError(.corruptRow, "subscription \(id): column email is not an address")
        }
        guard let frequency = Subscription.Frequency(rawValue: row[3]) else {
            throw StoreError(.corruptRow, "subscription \(id): column frequency: unknown value")
        }
        guard let status = Subscription.Status(rawValue: row[8]) else {
            throw StoreError(.corruptRow, "subscription \(id): column status: unknown value")
        }
        return Subscription(
            id: id, email: email, memberID: row[2], frequency: frequency, categories: try list(4, "categories"),
            authors: try list(5, "authors"), searches: try list(6, "searches"), paperCount: row[7], status: status,
            created: Date(timeIntervalSince1970: row[9]),
            confirmed: (row[10] as Double?).map(Date.init(timeIntervalSince1970:)), statusReason: row[11])
    }

    public func subscribe(
        email: EmailAddress, memberID: Int64?, frequency: Subscription.Frequency, at date: Date
    ) async throws -> (subscription: Subscription, created: Bool) {
        let (id, created): (Int64, Bool) = try await self.write { db in
            if let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM subscription WHERE email_key = ?", arguments: [email.normalized])
            {
                return (id, false)
            }
            try db.execute(
                sql: """
                    INSERT INTO subscription (email, email_key, member_id, frequency, status, created)
                    VALUES (?, ?, ?, ?, 'pending', ?)
                    """,
                arguments: [email.rawValue, email.normalized, memberID, frequency.rawValue, date.timeIntervalSince1970])
            return (db.lastInsertedRowID, true)
        }
        guard let subscription = try await self.subscription(id: id) else {
            throw StoreError(.io, "subscription \(id) vanished while it was made")
        }
        return (subscription, created)
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.subscriptionColumns) FROM subscription WHERE id = ?", arguments: [id]
            ).map(Self.subscription)
        }
    }

    public func subscription(email: EmailAddress) async throws -> Subscription? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.subscriptionColumns) FROM subscription WHERE email_key = ?",
                arguments: [email.normalized]
            ).map(Self.subscription)
        }
    }

    public func updateSubscription(_ subscription: Subscription) async throws {
        try await self.change("subscription \(subscription.id) does not exist") { db in
            try db.execute(
                sql: """
                    UPDATE subscription SET member_id = ?, frequency = ?, categories = ?, authors = ?, searches = ?,
                        paper_count = ?, status = ?, confirmed = ?, status_reason = ?
                    WHERE id = ?
                    """,
                arguments: [
                    subscription.memberID, subscription.frequency.rawValue,
                    JSONStringArray.encode(subscription.categories), JSONStringArray.encode(subscription.authors),
                    JSONStringArray.encode(subscription.searches), subscription.paperCount,
                    subscription.status.rawValue, subscription.confirmed?.timeIntervalSince1970,
                    subscription.statusReason, subscription.id,
                ])
        }
    }

    public func activeSubscriptions(frequency: Subscription.Frequency) async throws -> [Subscription] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.subscriptionColumns) FROM subscription
                    WHERE status = 'active' AND frequency = ? ORDER BY id
                    """,
                arguments: [frequency.rawValue]
            ).map(Self.subscription)
        }
    }

    public func subscriptionCounts() async throws -> [Subscription.Status: Int] {
        try await self.read { db in
            var counts: [Subscription.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM subscription GROUP BY status") {
                if let status = Subscription.Status(rawValue: row[0]) { counts[status] = row[1] }
            }
            return counts
        }
    }

    // MARK: Outbox

    private static let outboxColumns = """
        id, subscription_id, period, recipient, subject, body_text, body_html, paper_ids, status, attempts,
        next_attempt, last_error, created, sent
        """

    private static func outboxMail(_ row: Row) throws -> OutboxMail {
        let id: Int64 = row[0]
        guard let recipient = try? EmailAddress(parsing: row[3] as String) else {
            throw StoreError(.corruptRow, "outbox \(id): column recipient is not an address")
        }
        guard let papers = JSONStringArray.decode(row[7]) else {
            throw StoreError(.corruptRow, "outbox \(id): column paper_ids is not a JSON array of strings")
        }
        guard let status = OutboxMail.Status(rawValue: row[8]) else {
            throw StoreError(.corruptRow, "outbox \(id): column status: unknown value")
        }
        return OutboxMail(
            id: id, subscriptionID: row[1], period: row[2], recipient: recipient, subject: row[4], text: row[5],
            html: row[6], paperIDs: papers.map { PaperID(trusted: $0) }, status: status, attempts: row[9],
            nextAttempt: Date(timeIntervalSince1970: row[10]), lastError: row[11],
            created: Date(timeIntervalSince1970: row[12]),
            sent: (row[13] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func enqueue(_ draft: OutboxDraft, at date: Date) async throws -> OutboxMail? {
        let id: Int64? = try await self.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (subscription_id, period, recipient, subject, body_text, body_html, paper_ids,
                        status, next_attempt, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
                    ON CONFLICT (subscription_id, period) DO NOTHING
                    """,
                arguments: [
                    draft.subscriptionID, draft.period, draft.recipient.rawValue, draft.subject, draft.text, draft.html,
                    JSONStringArray.encode(draft.paperIDs.map(\.rawValue)), date.timeIntervalSince1970,
                    date.timeIntervalSince1970,
                ])
            guard db.changesCount == 1 else { return nil }
            let id = db.lastInsertedRowID
            for paper in Set(draft.paperIDs) {
                try db.execute(
                    sql: "INSERT INTO mailed_paper (subscription_id, paper_id, outbox_id) VALUES (?, ?, ?)",
                    arguments: [draft.subscriptionID, paper.rawValue, id])
            }
            return id
        }
        guard let id else { return nil }
        return try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE id = ?", arguments: [id])
                .map(Self.outboxMail)
        }
    }

    public func outboxMail(subscriptionID: Int64, period: String) async throws -> OutboxMail? {
        try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE subscription_id = ? AND period = ?",
                arguments: [subscriptionID, period]
            ).map(Self.outboxMail)
        }
    }

    public func mailedPaperIDs(subscriptionID: Int64) async throws -> Set<PaperID> {
        try await self.read { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT m.paper_id FROM mailed_paper m JOIN outbox o ON o.id = m.outbox_id
                    WHERE m.subscription_id = ? AND o.status != 'failed'
                    """,
                arguments: [subscriptionID])
            return Set(ids.map { PaperID(trusted: $0) })
        }
    }

    public func claimDue(limit: Int, owner: String, now: Date, lease: TimeInterval) async throws -> [OutboxMail] {
        let time = now.timeIntervalSince1970
        return try await self.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE outbox SET lease_owner = ?, lease_until = ?
                    WHERE id IN (
                        SELECT id FROM outbox
                        WHERE status = 'queued' AND next_attempt <= ? AND (lease_until IS NULL OR lease_until <= ?)
                        ORDER BY id LIMIT ?)
                    RETURNING \(Self.outboxColumns)
                    """,
                arguments: [owner, time + lease, time, time, max(0, limit)])
            return try rows.map(Self.outboxMail).sorted { $0.id < $1.id }
        }
    }

    public func markSent(id: Int64, owner: String, at date: Date) async throws -> Bool {
        try await self.write { db in try Self.markSent(db, id: id, owner: owner, at: date) }
    }

    private static func markSent(_ db: Database, id: Int64, owner: String, at date: Date) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE outbox SET status = 'sent', sent = ?, attempts = attempts + 1, lease_until = NULL
                WHERE id = ? AND lease_owner = ? AND status = 'queued'
                """,
            arguments: [date.timeIntervalSince1970, id, owner])
        return db.changesCount == 1
    }

    public func markRetry(id: Int64, owner: String, error: String, next: Date) async throws {
        try await self.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'queued', sent = NULL,
                        attempts = attempts + CASE status WHEN 'sent' THEN 0 ELSE 1 END,
                        last_error = ?, next_attempt = ?, lease_owner = NULL, lease_until = NULL
                    WHERE id = ? AND lease_owner = ? AND status IN ('queued', 'sent')
                    """,
                arguments: [error, next.timeIntervalSince1970, id, owner])
        }
    }

    public func markUndeliverable(id: Int64, owner: String, status: OutboxMail.Status, error: String) async throws {
        try await self.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = attempts + CASE status WHEN 'sent' THEN 0 ELSE 1 END,
                        last_error = ?, status = ?, sent = NULL, lease_owner = NULL, lease_until = NULL
                    WHERE id = ? AND lease_owner = ? AND status IN ('queued', 'sent')
                    """,
                arguments: [error, status.rawValue, id, owner])
            guard db.changesCount == 1, status == .bounced else { return }
            try db.execute(
                sql: """
                    UPDATE subscription SET status = 'bounced', status_reason = ?
                    WHERE id = (SELECT subscription_id FROM outbox WHERE id = ?)
                    """,
                arguments: [error, id])
        }
    }

    public func releaseLeases(owner: String) async throws {
        try await self.write { db in
            try db.execute(
                sql: "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
                arguments: [owner])
        }
    }

    public func outboxCounts() async throws -> [OutboxMail.Status: Int] {
        try await self.read { db in
            var counts: [OutboxMail.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM outbox GROUP BY status") {
                if let status = OutboxMail.Status(rawValue: row[0]) { counts[status] = row[1] }
            }
            return counts
        }
    }
}
