public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Subscriptions and the digest outbox (tables `subscription`, `outbox`, `mailed_paper`), shared
/// by every node. Due digests are leased with `FOR UPDATE SKIP LOCKED`, so senders on any number
/// of nodes claiming at once never hold one digest twice and never wait on each other; the sent
/// mark is taken only by the lease holder, as in SQLite.
extension PostgresStore: SubscriptionStore {
    private static let subscriptionColumns =
        "id, email, member_id, frequency, categories, authors, searches, paper_count, status, created, confirmed, status_reason"

    private static func subscription(_ row: PostgresRow) throws -> Subscription {
        let (
            id, text, memberID, frequencyName, categories, authors, searches, paperCount, statusName, created,
            confirmed, reason
        ) = try PostgresStore.decode(
            row,
            (Int64, String, Int64?, String, String, String, String, Int, String, Double, Double?, String?).self,
            table: "subscription")
        func list(_ value: String, _ column: String) throws -> [String] {
            guard let values = JSONStringArray.decode(value) else {
                throw StoreError(.corruptRow, "subscription \(id): column \(column) is not a JSON array of strings")
            }
            return values
        }
        guard let email = try? EmailAddress(parsing: text) else {
            throw StoreError(.corruptRow, "subscription \(id): column email is not an address")
        }
        guard let frequency = Subscription.Frequency(rawValue: frequencyName) else {
            throw StoreError(.corruptRow, "subscription \(id): column frequency: unknown value")
        }
        guard let status = Subscription.Status(rawValue: statusName) else {
            throw StoreError(.corruptRow, "subscription \(id): column status: unknown value")
        }
        return Subscription(
            id: id, email: email, memberID: memberID, frequency: frequency,
            categories: try list(categories, "categories"), authors: try list(authors, "authors"),
            searches: try list(searches, "searches"), paperCount: paperCount, status: status,
            created: Date(timeIntervalSince1970: created), confirmed: confirmed.map(Date.init(timeIntervalSince1970:)),
            statusReason: reason)
    }

    public func subscribe(
        email: EmailAddress, memberID: Int64?, frequency: Subscription.Frequency, at date: Date
    ) async throws -> (subscription: Subscription, created: Bool) {
        // The unique address decides between two nodes subscribing one address at once.
        let inserted = try await self.rows(
            """
            INSERT INTO subscription (email, email_key, member_id, frequency, status, created)
            VALUES (\(email.rawValue), \(email.normalized), \(memberID), \(frequency.rawValue), 'pending',
                \(date.timeIntervalSince1970))
            ON CONFLICT (email_key) DO NOTHING
            RETURNING \(unescaped: Self.subscriptionColumns)
            """)
        if let row = inserted.first { return (try Self.subscription(row), true) }
        guard let existing = try await self.subscription(email: email) else {
            throw StoreError(.io, "the subscription of \(email) vanished while it was made")
        }
        return (existing, false)
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        try await self.rows("SELECT \(unescaped: Self.subscriptionColumns) FROM subscription WHERE id = \(id)")
            .first.map(Self.subscription)
    }

    public func subscription(email: EmailAddress) async throws -> Subscription? {
        try await self.rows(
            "SELECT \(unescaped: Self.subscriptionColumns) FROM subscription WHERE email_key = \(email.normalized)"
        ).first.map(Self.subscription)
    }

    public func updateSubscription(_ subscription: Subscription) async throws {
        let changed = try await self.rows(
            """
            UPDATE subscription SET member_id = \(subscription.memberID), frequency = \(subscription.frequency.rawValue),
                categories = \(JSONStringArray.encode(subscription.categories)),
                authors = \(JSONStringArray.encode(subscription.authors)),
                searches = \(JSONStringArray.encode(subscription.searches)), paper_count = \(subscription.paperCount),
                status = \(subscription.status.rawValue), confirmed = \(subscription.confirmed?.timeIntervalSince1970),
                status_reason = \(subscription.statusReason)
            WHERE id = \(subscription.id)
            RETURNING 1
            """)
        guard !changed.isEmpty else { throw StoreError(.notFound, "subscription \(subscription.id) does not exist") }
    }

    public func activeSubscriptions(frequency: Subscription.Frequency) async throws -> [Subscription] {
        try await self.rows(
            """
            SELECT \(unescaped: Self.subscriptionColumns) FROM subscription
            WHERE status = 'active' AND frequency = \(frequency.rawValue) ORDER BY id
            """
        ).map(Self.subscription)
    }

    public func subscriptionCounts() async throws -> [Subscription.Status: Int] {
        var counts: [Subscription.Status: Int] = [:]
        for row in try await self.rows("SELECT status, count(*) FROM subscription GROUP BY status") {
            let (name, count) = try PostgresStore.decode(row, (String, Int).self, table: "subscription")
            if let status = Subscription.Status(rawValue: name) { counts[status] = count }
        }
        return counts
    }

    // MARK: Outbox

    private static let outboxColumns = """
        id, subscription_id, period, recipient, subject, body_text, body_html, paper_ids, status, attempts,
        next_attempt, last_error, created, sent
        """

    private static func outboxMail(_ row: PostgresRow) throws -> OutboxMail {
        let (
            id, subscriptionID, period, recipientText, subject, text, html, paperIDs, statusName, attempts, next,
            lastError, created, sent
        ) = try PostgresStore.decode(
            row,
            (
                Int64, Int64, String, String, String, String, String, String, String, Int, Double, String?, Double,
                Double?
            ).self, table: "outbox")
        guard let recipient = try? EmailAddress(parsing: recipientText) else {
            throw StoreError(.corruptRow, "outbox \(id): column recipient is not an address")
        }
        guard let papers = JSONStringArray.decode(paperIDs) else {
            throw StoreError(.corruptRow, "outbox \(id): column paper_ids is not a JSON array of strings")
        }
        guard let status = OutboxMail.Status(rawValue: statusName) else {
            throw StoreError(.corruptRow, "outbox \(id): column status: unknown value")
        }
        return OutboxMail(
            id: id, subscriptionID: subscriptionID, period: period, recipient: recipient, subject: subject, text: text,
            html: html, paperIDs: papers.map { PaperID(trusted: $0) }, status: status, attempts: attempts,
            nextAttempt: Date(timeIntervalSince1970: next), lastError: lastError,
            created: Date(timeIntervalSince1970: created), sent: sent.map(Date.init(timeIntervalSince1970:)))
    }

    public func enqueue(_ draft: OutboxDraft, at date: Date) async throws -> OutboxMail? {
        let time = date.timeIntervalSince1970
        return try await self.transaction { connection -> OutboxMail? in
            // The unique (subscription, period) decides between nodes composing at once.
            let rows = try await connection.rows(
                """
                INSERT INTO outbox (subscription_id, period, recipient, subject, body_text, body_html, paper_ids,
                    status, next_attempt, created)
                VALUES (\(draft.subscriptionID), \(draft.period), \(draft.recipient.rawValue), \(draft.subject),
                    \(draft.text), \(draft.html), \(JSONStringArray.encode(draft.paperIDs.map(\.rawValue))), 'queued',
                    \(time), \(time))
                ON CONFLICT (subscription_id, period) DO NOTHING
                RETURNING \(unescaped: Self.outboxColumns)
                """, logger: self.logger)
            guard let row = rows.first else { return nil }
            let mail = try Self.outboxMail(row)
            let papers = Array(Set(draft.paperIDs.map(\.rawValue)))
            if !papers.isEmpty {
                try await connection.execute(
                    """
                    INSERT INTO mailed_paper (subscription_id, paper_id, outbox_id)
                    SELECT \(draft.subscriptionID), p, \(mail.id) FROM unnest(\(papers)) AS p
                    """, logger: self.logger)
            }
            return mail
        }
    }

    public func outboxMail(subscriptionID: Int64, period: String) async throws -> OutboxMail? {
        try await self.rows(
            """
            SELECT \(unescaped: Self.outboxColumns) FROM outbox
            WHERE subscription_id = \(subscriptionID) AND period = \(period)
            """
        ).first.map(Self.outboxMail)
    }

    public func mailedPaperIDs(subscriptionID: Int64) async throws -> Set<PaperID> {
        let rows = try await self.rows(
            """
            SELECT DISTINCT m.paper_id FROM mailed_paper m JOIN outbox o ON o.id = m.outbox_id
            WHERE m.subscription_id = \(subscriptionID) AND o.status <> 'failed'
            """)
        return Set(try rows.map { PaperID(trusted: try PostgresStore.decode($0, String.self, table: "mailed_paper")) })
    }

    public func claimDue(limit: Int, owner: String, now: Date, lease: TimeInterval) async throws -> [OutboxMail] {
        let time = now.timeIntervalSince1970
        let rows = try await self.rows(
            """
            UPDATE outbox SET lease_owner = \(owner), lease_until = \(time + lease)
            WHERE id IN (
                SELECT id FROM outbox
                WHERE status = 'queued' AND next_attempt <= \(time) AND (lease_until IS NULL OR lease_until <= \(time))
                ORDER BY id LIMIT \(max(0, limit))
                FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.outboxColumns)
            """)
        return try rows.map(Self.outboxMail).sorted { $0.id < $1.id }
    }

    public func markSent(id: Int64, owner: String, at date: Date) async throws -> Bool {
        let rows = try await self.rows(
            """
            UPDATE outbox SET status = 'sent', sent = \(date.timeIntervalSince1970), attempts = attempts + 1,
                lease_until = NULL
            WHERE id = \(id) AND lease_owner = \(owner) AND status = 'queued'
            RETURNING 1
            """)
        return rows.count == 1
    }

    public func markRetry(id: Int64, owner: String, error: String, next: Date) async throws {
        try await self.execute(
            """
            UPDATE outbox SET status = 'queued', sent = NULL,
                attempts = attempts + CASE status WHEN 'sent' THEN 0 ELSE 1 END,
                last_error = \(error), next_attempt = \(next.timeIntervalSince1970), lease_owner = NULL,
                lease_until = NULL
            WHERE id = \(id) AND lease_owner = \(owner) AND status IN ('queued', 'sent')
            """)
    }

    public func markUndeliverable(id: Int64, owner: String, status: OutboxMail.Status, error: String) async throws {
        try await self.transaction { connection in
            let changed = try await connection.rows(
                """
                UPDATE outbox SET attempts = attempts + CASE status WHEN 'sent' THEN 0 ELSE 1 END,
                    last_error = \(error), status = \(status.rawValue), sent = NULL, lease_owner = NULL,
                    lease_until = NULL
                WHERE id = \(id) AND lease_owner = \(owner) AND status IN ('queued', 'sent')
                RETURNING subscription_id
                """, logger: self.logger)
            guard let row = changed.first, status == .bounced else { return }
            let subscriptionID = try PostgresStore.decode(row, Int64.self, table: "outbox")
            try await connection.execute(
                """
                UPDATE subscription SET status = 'bounced', status_reason = \(error) WHERE id = \(subscriptionID)
                """, logger: self.logger)
        }
    }

    public func releaseLeases(owner: String) async throws {
        try await self.execute(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = \(owner)")
    }

    public func outboxCounts() async throws -> [OutboxMail.Status: Int] {
        var counts: [OutboxMail.Status: Int] = [:]
        for row in try await self.rows("SELECT status, count(*) FROM outbox GROUP BY status") {
            let (name, count) = try PostgresStore.decode(row, (String, Int).self, table: "outbox")
            if let status = OutboxMail.Status(rawValue: name) { counts[status] = count }
        }
        return counts
    }
}
