public import Foundation
public import PaperboyModel
public import PaperboyStore
import PostgresNIO

/// Subscriptions and the digest outbox (tables `subscription`, `outbox`, `mailed_paper`), shared
/// by every node. Leases are columns of `outbox`: ``claimDue(limit:owner:now:lease:)`` locks the
/// due rows with `FOR UPDATE SKIP LOCKED` and leases them in the same transaction, so two nodes
/// claiming at once never get the same digest (each skips the rows the other is taking).
extension PostgresStore: SubscriptionStore {
    private static let subscriptionColumns = """
        id, email, member_id, frequency, categories, authors, searches, paper_count, status, created, confirmed,
        status_reason
        """

    /// A subscription from the columns of ``subscriptionColumns``.
    private static func subscriptionRow(_ row: PostgresRow) throws -> Subscription {
        let (
            id, emailText, memberID, frequencyText, categories, authors, searches, paperCount, statusText, created,
            confirmed, statusReason
        ) = try PostgresStore.decode(
            row, (Int64, String, Int64?, String, String, String, String, Int, String, Double, Double?, String?).self,
            table: "subscription")
        func list(_ text: String, _ column: String) throws -> [String] {
            guard let values = JSONStringArray.decode(text) else {
                throw StoreError(.corruptRow, "subscription \(id): column \(column) is not a JSON array of strings")
            }
            return values
        }
        guard let email = try? EmailAddress(parsing: emailText) else {
            throw StoreError(.corruptRow, "subscription \(id): column email is not an address")
        }
        guard let frequency = Subscription.Frequency(rawValue: frequencyText) else {
            throw StoreError(.corruptRow, "subscription \(id): column frequency: unknown value")
        }
        guard let status = Subscription.Status(rawValue: statusText) else {
            throw StoreError(.corruptRow, "subscription \(id): column status: unknown value")
        }
        return Subscription(
            id: id, email: email, memberID: memberID, frequency: frequency,
            categories: try list(categories, "categories"), authors: try list(authors, "authors"),
            searches: try list(searches, "searches"), paperCount: paperCount, status: status,
            created: Date(timeIntervalSince1970: created),
            confirmed: confirmed.map(Date.init(timeIntervalSince1970:)), statusReason: statusReason)
    }

    public func subscribe(
        email: EmailAddress, memberID: Int64?, frequency: Subscription.Frequency, at date: Date
    ) async throws -> (subscription: Subscription, created: Bool) {
        let key = email.normalized
        let (id, created): (Int64, Bool) = try await self.transaction { connection in
            let selectID: PostgresQuery = "SELECT id FROM subscription WHERE email_key = \(key)"
            if let row = try await connection.rows(selectID, logger: self.logger).first {
                return (try PostgresStore.decode(row, Int64.self, table: "subscription"), false)
            }
            let inserted = try await connection.rows(
                """
                INSERT INTO subscription (email, email_key, member_id, frequency, status, created)
                VALUES (
                    \(email.rawValue), \(key), \(memberID), \(frequency.rawValue), 'pending',
                    \(date.timeIntervalSince1970))
                ON CONFLICT (email_key) DO NOTHING
                RETURNING id
                """, logger: self.logger)
            if let row = inserted.first {
                return (try PostgresStore.decode(row, Int64.self, table: "subscription"), true)
            }
            // Another node made this address's subscription meanwhile (the insert waited for it).
            guard let row = try await connection.rows(selectID, logger: self.logger).first else {
                throw StoreError(.io, "subscription \(email) vanished while it was made")
            }
            return (try PostgresStore.decode(row, Int64.self, table: "subscription"), false)
        }
        guard let subscription = try await self.subscription(id: id) else {
            throw StoreError(.io, "subscription \(id) vanished while it was made")
        }
        return (subscription, created)
    }

    public func subscription(id: Int64) async throws -> Subscription? {
        try await self.rows("SELECT \(unescaped: Self.subscriptionColumns) FROM subscription WHERE id = \(id)")
            .first.map { try Self.subscriptionRow($0) }
    }

    public func subscription(email: EmailAddress) async throws -> Subscription? {
        try await self.rows(
            "SELECT \(unescaped: Self.subscriptionColumns) FROM subscription WHERE email_key = \(email.normalized)"
        ).first.map { try Self.subscriptionRow($0) }
    }

    public func updateSubscription(_ subscription: Subscription) async throws {
        try await self.requireChange(
            "subscription \(subscription.id) does not exist",
            """
            UPDATE subscription SET member_id = \(subscription.memberID),
                frequency = \(subscription.frequency.rawValue),
                categories = \(JSONStringArray.encode(subscription.categories)),
                authors = \(JSONStringArray.encode(subscription.authors)),
                searches = \(JSONStringArray.encode(subscription.searches)),
                paper_count = \(subscription.paperCount), status = \(subscription.status.rawValue),
                confirmed = \(subscription.confirmed?.timeIntervalSince1970),
                status_reason = \(subscription.statusReason)
            WHERE id = \(subscription.id)
            RETURNING id
            """)
    }

    public func activeSubscriptions(frequency: Subscription.Frequency) async throws -> [Subscription] {
        try await self.rows(
            """
            SELECT \(unescaped: Self.subscriptionColumns) FROM subscription
            WHERE status = 'active' AND frequency = \(frequency.rawValue) ORDER BY id
            """
        ).map { try Self.subscriptionRow($0) }
    }

    public func subscriptionCounts() async throws -> [Subscription.Status: Int] {
        var counts: [Subscription.Status: Int] = [:]
        for row in try await self.rows("SELECT status, count(*) FROM subscription GROUP BY status") {
            let (text, count) = try PostgresStore.decode(row, (String, Int).self, table: "subscription")
            if let status = Subscription.Status(rawValue: text) { counts[status] = count }
        }
        return counts
    }

    // MARK: Outbox

    private static let outboxColumns = """
        id, subscription_id, period, recipient, subject, body_text, body_html, paper_ids, status, attempts,
        next_attempt, last_error, created, sent
        """

    /// A digest from the columns of ``outboxColumns``.
    private static func outboxRow(_ row: PostgresRow) throws -> OutboxMail {
        let (
            id, subscriptionID, period, recipientText, subject, text, html, paperIDs, statusText, attempts,
            nextAttempt, lastError, created, sent
        ) = try PostgresStore.decode(
            row,
            (
                Int64, Int64, String, String, String, String, String, String, String, Int, Double, String?, Double,
                Double?
            ).self,
            table: "outbox")
        guard let recipient = try? EmailAddress(parsing: recipientText) else {
            throw StoreError(.corruptRow, "outbox \(id): column recipient is not an address")
        }
        guard let papers = JSONStringArray.decode(paperIDs) else {
            throw StoreError(.corruptRow, "outbox \(id): column paper_ids is not a JSON array of strings")
        }
        guard let status = OutboxMail.Status(rawValue: statusText) else {
            throw StoreError(.corruptRow, "outbox \(id): column status: unknown value")
        }
        return OutboxMail(
            id: id, subscriptionID: subscriptionID, period: period, recipient: recipient, subject: subject,
            text: text, html: html, paperIDs: papers.map { PaperID(trusted: $0) }, status: status,
            attempts: attempts, nextAttempt: Date(timeIntervalSince1970: nextAttempt), lastError: lastError,
            created: Date(timeIntervalSince1970: created), sent: sent.map(Date.init(timeIntervalSince1970:)))
    }

    public func enqueue(_ draft: OutboxDraft, at date: Date) async throws -> OutboxMail? {
        let time = date.timeIntervalSince1970
        let paperIDs = JSONStringArray.encode(draft.paperIDs.map(\.rawValue))
        let mailed = Array(Set(draft.paperIDs.map(\.rawValue)))
        return try await self.transaction { connection -> OutboxMail? in
            // A second digest for the period waits for the first to commit, then inserts nothing.
            let rows = try await connection.rows(
                """
                INSERT INTO outbox (subscription_id, period, recipient, subject, body_text, body_html, paper_ids,
                    status, next_attempt, created)
                VALUES (
                    \(draft.subscriptionID), \(draft.period), \(draft.recipient.rawValue), \(draft.subject),
                    \(draft.text), \(draft.html), \(paperIDs), 'queued', \(time), \(time))
                ON CONFLICT (subscription_id, period) DO NOTHING
                RETURNING \(unescaped: Self.outboxColumns)
                """, logger: self.logger)
            guard let row = rows.first else { return nil }
            let mail = try Self.outboxRow(row)
            if !mailed.isEmpty {
                try await connection.execute(
                    """
                    INSERT INTO mailed_paper (subscription_id, paper_id, outbox_id)
                    SELECT \(draft.subscriptionID), paper_id, \(mail.id) FROM unnest(\(mailed)) AS m (paper_id)
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
        ).first.map { try Self.outboxRow($0) }
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
        return try await self.transaction { connection -> [OutboxMail] in
            // Rows another node is claiming are locked by it: skipped, not waited for. A row it has
            // just leased and committed no longer matches when re-checked under the lock.
            let due = try await connection.rows(
                """
                SELECT id FROM outbox
                WHERE status = 'queued' AND next_attempt <= \(time) AND (lease_until IS NULL OR lease_until <= \(time))
                ORDER BY id LIMIT \(max(0, limit))
                FOR UPDATE SKIP LOCKED
                """, logger: self.logger)
            let ids = try due.map { try PostgresStore.decode($0, Int64.self, table: "outbox") }
            guard !ids.isEmpty else { return [] }
            let rows = try await connection.rows(
                """
                UPDATE outbox SET lease_owner = \(owner), lease_until = \(time + lease)
                WHERE id = ANY(\(ids))
                RETURNING \(unescaped: Self.outboxColumns)
                """, logger: self.logger)
            return try rows.map { try Self.outboxRow($0) }.sorted { $0.id < $1.id }
        }
    }

    public func markSent(id: Int64, owner: String, at date: Date) async throws -> Bool {
        let changed = try await self.rows(
            """
            UPDATE outbox SET status = 'sent', sent = \(date.timeIntervalSince1970), attempts = attempts + 1,
                lease_until = NULL
            WHERE id = \(id) AND lease_owner = \(owner) AND status = 'queued'
            RETURNING id
            """)
        return changed.count == 1
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
        try await self.transaction { (connection) async throws -> Void in
            let ended = try await connection.rows(
                """
                UPDATE outbox SET attempts = attempts + CASE status WHEN 'sent' THEN 0 ELSE 1 END,
                    last_error = \(error), status = \(status.rawValue), sent = NULL, lease_owner = NULL,
                    lease_until = NULL
                WHERE id = \(id) AND lease_owner = \(owner) AND status IN ('queued', 'sent')
                RETURNING subscription_id
                """, logger: self.logger)
            guard ended.count == 1, status == .bounced, let row = ended.first else { return }
            let subscriptionID = try PostgresStore.decode(row, Int64.self, table: "outbox")
            try await connection.execute(
                "UPDATE subscription SET status = 'bounced', status_reason = \(error) WHERE id = \(subscriptionID)",
                logger: self.logger)
        }
    }

    public func releaseLeases(owner: String) async throws {
        try await self.execute("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = \(owner)")
    }

    public func outboxCounts() async throws -> [OutboxMail.Status: Int] {
        var counts: [OutboxMail.Status: Int] = [:]
        for row in try await self.rows("SELECT status, count(*) FROM outbox GROUP BY status") {
            let (text, count) = try PostgresStore.decode(row, (String, Int).self, table: "outbox")
            if let status = OutboxMail.Status(rawValue: text) { counts[status] = count }
        }
        return counts
    }
}
