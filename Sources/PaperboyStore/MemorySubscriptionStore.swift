public import Foundation
public import PaperboyModel

/// A ``SubscriptionStore`` in memory.
public actor MemorySubscriptionStore: SubscriptionStore {
    private var subscriptionsByID: [Int64: Subscription] = [:]
    private var outboxByID: [Int64: OutboxMail] = [:]
    private var leases: [Int64: (owner: String, until: Date)] = [:]
    private var nextID: Int64 = 1

    /// Creates an empty store.
    public init() {}

    public func subscribe(
        email: EmailAddress, memberID: Int64?, frequency: Subscription.Frequency, at date: Date
    ) -> (subscription: Subscription, created: Bool) {
        if let existing = self.subscription(email: email) { return (existing, false) }
        let subscription = Subscription(
            id: self.takeID(), email: email, memberID: memberID, frequency: frequency, created: date)
        self.subscriptionsByID[subscription.id] = subscription
        return (subscription, true)
    }

    public func subscription(id: Int64) -> Subscription? { self.subscriptionsByID[id] }

    public func subscription(email: EmailAddress) -> Subscription? {
        self.subscriptionsByID.values.first { $0.email == email }
    }

    public func updateSubscription(_ subscription: Subscription) throws {
        guard let old = self.subscriptionsByID[subscription.id] else {
            throw StoreError(.notFound, "subscription \(subscription.id) does not exist")
        }
        var updated = subscription
        updated.email = old.email
        self.subscriptionsByID[subscription.id] = updated
    }

    public func activeSubscriptions(frequency: Subscription.Frequency) -> [Subscription] {
        self.subscriptionsByID.values.filter { $0.status == .active && $0.frequency == frequency }.sorted {
            $0.id < $1.id
        }
    }

    public func subscriptionCounts() -> [Subscription.Status: Int] {
        Dictionary(grouping: self.subscriptionsByID.values, by: \.status).mapValues(\.count)
    }

    public func enqueue(_ draft: OutboxDraft, at date: Date) -> OutboxMail? {
        guard self.outboxMail(subscriptionID: draft.subscriptionID, period: draft.period) == nil else { return nil }
        let mail = OutboxMail(
            id: self.takeID(), subscriptionID: draft.subscriptionID, period: draft.period, recipient: draft.recipient,
            subject: draft.subject, text: draft.text, html: draft.html, paperIDs: draft.paperIDs, nextAttempt: date,
            created: date)
        self.outboxByID[mail.id] = mail
        return mail
    }

    public func outboxMail(subscriptionID: Int64, period: String) -> OutboxMail? {
        self.outboxByID.values.first { $0.subscriptionID == subscriptionID && $0.period == period }
    }

    public func mailedPaperIDs(subscriptionID: Int64) -> Set<PaperID> {
        Set(
            self.outboxByID.values.filter { $0.subscriptionID == subscriptionID && $0.status != .failed }.flatMap(
                \.paperIDs))
    }

    public func claimDue(limit: Int, owner: String, now: Date, lease: TimeInterval) -> [OutboxMail] {
        let due = self.outboxByID.values.filter { mail in
            mail.status == .queued && mail.nextAttempt <= now && (self.leases[mail.id].map { $0.until <= now } ?? true)
        }.sorted { $0.id < $1.id }.prefix(max(0, limit))
        for mail in due { self.leases[mail.id] = (owner, now.addingTimeInterval(lease)) }
        return Array(due)
    }

    public func markSent(id: Int64, owner: String, at date: Date) -> Bool {
        guard self.leases[id]?.owner == owner, var mail = self.outboxByID[id], mail.status == .queued else {
            return false
        }
        mail.status = .sent
        mail.sent = date
        mail.attempts += 1
        self.outboxByID[id] = mail
        // The holder keeps its claim, to reopen the digest if the server refuses it after all.
        self.leases[id] = (owner, date)
        return true
    }

    public func markRetry(id: Int64, owner: String, error: String, next: Date) {
        guard self.leases[id]?.owner == owner, var mail = self.outboxByID[id], mail.status != .failed,
            mail.status != .bounced
        else { return }
        if mail.status == .queued { mail.attempts += 1 }
        mail.status = .queued
        mail.sent = nil
        mail.lastError = error
        mail.nextAttempt = next
        self.outboxByID[id] = mail
        self.leases[id] = nil
    }

    public func markUndeliverable(id: Int64, owner: String, status: OutboxMail.Status, error: String) {
        guard self.leases[id]?.owner == owner, var mail = self.outboxByID[id], mail.status != .failed,
            mail.status != .bounced
        else { return }
        if mail.status == .queued { mail.attempts += 1 }
        mail.sent = nil
        mail.lastError = error
        mail.status = status
        self.outboxByID[id] = mail
        self.leases[id] = nil
        if status == .bounced, var subscription = self.subscriptionsByID[mail.subscriptionID] {
            subscription.status = .bounced
            subscription.statusReason = error
            self.subscriptionsByID[subscription.id] = subscription
        }
    }

    public func releaseLeases(owner: String) {
        self.leases = self.leases.filter { $0.value.owner != owner }
    }

    public func outboxCounts() -> [OutboxMail.Status: Int] {
        Dictionary(grouping: self.outboxByID.values, by: \.status).mapValues(\.count)
    }

    private func takeID() -> Int64 {
        defer { self.nextID += 1 }
        return self.nextID
    }
}
