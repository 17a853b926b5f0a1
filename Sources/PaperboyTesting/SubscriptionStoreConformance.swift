import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``SubscriptionStore`` must pass.
public enum SubscriptionStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store.
        public let run: @Sendable (any SubscriptionStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "one subscription per address; preferences and status read back", run: subscriptions),
        Check(name: "one digest per subscription and period; its papers count as mailed", run: onePerPeriod),
        Check(name: "a lease keeps a digest from a second sender until it expires", run: leases),
        Check(name: "retries wait, failures and bounces end a digest, a bounce stops the subscription", run: outcomes),
        Check(name: "a digest marked sent that the server then refused is reopened by its sender only", run: reopen),
    ]

    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func address(_ text: String) -> EmailAddress { try! EmailAddress(parsing: text) }

    static func draft(_ subscription: Subscription, period: String, papers: [String] = ["2501.00001"]) -> OutboxDraft {
        OutboxDraft(
            subscriptionID: subscription.id, period: period, recipient: subscription.email, subject: "Digest \(period)",
            text: "text", html: "<p>html</p>", paperIDs: papers.map { PaperID(trusted: $0) })
    }

    static func subscriptions(_ store: any SubscriptionStore) async throws {
        let (ada, created) = try await store.subscribe(
            email: address("Ada@Example.org"), memberID: nil, frequency: .weekly, at: now)
        try expect(created, "a new address makes a subscription")
        try expectEqual(ada.status, .pending, "a new subscription waits for confirmation")
        try expectEqual(ada.frequency, .weekly, "frequency")
        let (again, createdAgain) = try await store.subscribe(
            email: address("ada@example.ORG"), memberID: 7, frequency: .daily, at: now)
        try expect(!createdAgain, "the same address in other case is the same subscription")
        try expectEqual(again.id, ada.id, "same id")
        var changed = ada
        changed.status = .active
        changed.confirmed = now
        changed.categories = ["cs.LG", "cs.CV"]
        changed.authors = ["Ada Lovelace"]
        changed.searches = ["diffusion \"score matching\""]
        changed.paperCount = 5
        changed.frequency = .daily
        changed.memberID = nil
        try await store.updateSubscription(changed)
        try expectEqual(try await store.subscription(id: ada.id), changed, "reads back by id")
        try expectEqual(
            try await store.subscription(email: address("ADA@example.org")), changed, "reads back by address")
        try expectEqual(try await store.activeSubscriptions(frequency: .daily).map(\.id), [ada.id], "active daily")
        try expectEqual(try await store.activeSubscriptions(frequency: .weekly).map(\.id), [], "no weekly")
        try expectEqual(try await store.subscriptionCounts(), [.active: 1], "counts")
        let ghost = Subscription(id: 9_999, email: address("ghost@example.org"), created: now)
        do {
            try await store.updateSubscription(ghost)
            try expect(false, "updating an unknown subscription succeeded")
        } catch let error as StoreError {
            try expectEqual(error.code, .notFound, "unknown subscription")
        }
    }

    static func onePerPeriod(_ store: any SubscriptionStore) async throws {
        let (ada, _) = try await store.subscribe(
            email: address("ada@example.org"), memberID: nil, frequency: .daily, at: now)
        let first = try await store.enqueue(
            draft(ada, period: "daily:2026-11-20", papers: ["2501.00001", "2501.00002"]), at: now)
        try expect(first != nil, "the first digest of a period is written")
        try expectEqual(first?.status, .queued, "queued")
        try expectEqual(first?.nextAttempt, now, "due at once")
        let second = try await store.enqueue(draft(ada, period: "daily:2026-11-20", papers: ["2501.00003"]), at: now)
        try expect(second == nil, "a second digest for the same period is refused")
        _ = try await store.enqueue(draft(ada, period: "daily:2026-11-21", papers: ["2501.00003"]), at: now)
        try expectEqual(
            try await store.mailedPaperIDs(subscriptionID: ada.id),
            Set(["2501.00001", "2501.00002", "2501.00003"].map { PaperID(trusted: $0) }), "mailed papers")
        let read = try await store.outboxMail(subscriptionID: ada.id, period: "daily:2026-11-20")
        try expectEqual(read, first, "reads back equal")
        try expectEqual(try await store.outboxCounts(), [.queued: 2], "counts")
    }

    static func leases(_ store: any SubscriptionStore) async throws {
        let (ada, _) = try await store.subscribe(
            email: address("ada@example.org"), memberID: nil, frequency: .daily, at: now)
        let (bob, _) = try await store.subscribe(
            email: address("bob@example.org"), memberID: nil, frequency: .daily, at: now)
        let a = try await store.enqueue(draft(ada, period: "daily:2026-11-20"), at: now)!
        let b = try await store.enqueue(draft(bob, period: "daily:2026-11-20"), at: now)!
        let first = try await store.claimDue(limit: 1, owner: "one", now: now, lease: 60)
        try expectEqual(first.map(\.id), [a.id], "oldest first, at most the limit")
        let second = try await store.claimDue(limit: 10, owner: "two", now: now, lease: 60)
        try expectEqual(second.map(\.id), [b.id], "a leased digest is not handed out again")
        try expect(!(try await store.markSent(id: a.id, owner: "two", at: now)), "only the holder marks it sent")
        let expired = try await store.claimDue(limit: 10, owner: "two", now: now.addingTimeInterval(61), lease: 60)
        try expectEqual(expired.map(\.id), [a.id, b.id], "expired leases are handed out again")
        try expect(!(try await store.markSent(id: a.id, owner: "one", at: now)), "a lost lease cannot mark it sent")
        try expect(try await store.markSent(id: a.id, owner: "two", at: now), "the new holder marks it sent")
        try expect(!(try await store.markSent(id: a.id, owner: "two", at: now)), "sent once")
        try expectEqual(
            try await store.outboxMail(subscriptionID: ada.id, period: "daily:2026-11-20")?.status, .sent, "sent")
        try await store.releaseLeases(owner: "two")
        let released = try await store.claimDue(limit: 10, owner: "three", now: now.addingTimeInterval(62), lease: 60)
        try expectEqual(released.map(\.id), [b.id], "released leases are free; sent digests are never due")
    }

    static func outcomes(_ store: any SubscriptionStore) async throws {
        let (ada, _) = try await store.subscribe(
            email: address("ada@example.org"), memberID: nil, frequency: .daily, at: now)
        let (bob, _) = try await store.subscribe(
            email: address("bob@example.org"), memberID: nil, frequency: .daily, at: now)
        let a = try await store.enqueue(draft(ada, period: "p", papers: ["2501.00001"]), at: now)!
        let b = try await store.enqueue(draft(bob, period: "p", papers: ["2501.00002"]), at: now)!
        _ = try await store.claimDue(limit: 10, owner: "s", now: now, lease: 600)
        try await store.markRetry(id: a.id, owner: "s", error: "451 try later", next: now.addingTimeInterval(300))
        let retried = try await store.outboxMail(subscriptionID: ada.id, period: "p")
        try expectEqual(retried?.attempts, 1, "one attempt")
        try expectEqual(retried?.lastError, "451 try later", "the error is kept")
        try expectEqual(
            try await store.claimDue(limit: 10, owner: "s", now: now.addingTimeInterval(299), lease: 60).map(\.id), [],
            "not due before its time")
        try expectEqual(
            try await store.claimDue(limit: 10, owner: "s", now: now.addingTimeInterval(300), lease: 60).map(\.id),
            [a.id], "due again after")
        try await store.markUndeliverable(id: a.id, owner: "s", status: .failed, error: "gave up after 2 attempts")
        try await store.markUndeliverable(id: b.id, owner: "s", status: .bounced, error: "550 no such user")
        try expectEqual(try await store.outboxMail(subscriptionID: ada.id, period: "p")?.status, .failed, "failed")
        try expectEqual(
            try await store.mailedPaperIDs(subscriptionID: ada.id), [], "papers of a failed digest may come again")
        let bounced = try await store.subscription(id: bob.id)
        try expectEqual(bounced?.status, .bounced, "a bounce stops the subscription")
        try expectEqual(bounced?.statusReason, "550 no such user", "with the reason")
        try expectEqual(try await store.outboxCounts(), [.failed: 1, .bounced: 1], "counts")
        try expectEqual(
            try await store.claimDue(limit: 10, owner: "s", now: now.addingTimeInterval(9_999), lease: 60).map(\.id),
            [],
            "ended digests are never due")
    }

    static func reopen(_ store: any SubscriptionStore) async throws {
        let (ada, _) = try await store.subscribe(
            email: address("ada@example.org"), memberID: nil, frequency: .daily, at: now)
        let mail = try await store.enqueue(draft(ada, period: "p"), at: now)!
        _ = try await store.claimDue(limit: 1, owner: "s", now: now, lease: 60)
        try expect(try await store.markSent(id: mail.id, owner: "s", at: now), "marked sent")
        try await store.markRetry(id: mail.id, owner: "other", error: "x", next: now)
        try expectEqual(
            try await store.outboxMail(subscriptionID: ada.id, period: "p")?.status, .sent,
            "only the sender that marked it reopens it")
        try await store.markRetry(id: mail.id, owner: "s", error: "451 try later", next: now.addingTimeInterval(60))
        let reopened = try await store.outboxMail(subscriptionID: ada.id, period: "p")
        try expectEqual(reopened?.status, .queued, "queued again")
        try expectEqual(reopened?.sent, nil, "no longer sent")
        try expectEqual(reopened?.attempts, 1, "the attempt counted once")
        let again = try await store.claimDue(limit: 1, owner: "t", now: now.addingTimeInterval(60), lease: 60)
        try expectEqual(again.map(\.id), [mail.id], "due again")
    }
}
