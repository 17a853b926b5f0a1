public import Foundation
public import PaperboyModel

/// Digest subscriptions and the outbox of digests. Implementations pass
/// `SubscriptionStoreConformance`.
///
/// The outbox is how a digest is never lost and never doubled: it is written first, once per
/// subscription and period (``enqueue(_:at:)`` refuses a second); a sender leases due entries
/// (``claimDue(limit:owner:now:lease:)``), so two senders never hold the same one, and marks each
/// sent only while it still holds the lease (``markSent(id:owner:at:)``).
public protocol SubscriptionStore: Sendable {
    // MARK: Subscriptions

    /// Makes a pending subscription for `email`, or returns the one the address already has (in
    /// whatever state) with `created` false.
    func subscribe(
        email: EmailAddress, memberID: Int64?, frequency: Subscription.Frequency, at date: Date
    ) async throws -> (subscription: Subscription, created: Bool)

    /// The subscription with this id, or `nil`.
    func subscription(id: Int64) async throws -> Subscription?

    /// The subscription of this address (compared without case), or `nil`.
    func subscription(email: EmailAddress) async throws -> Subscription?

    /// Writes a subscription's preferences, status, confirmation time, reason and member.
    /// - Throws: ``StoreError/Code/notFound``.
    func updateSubscription(_ subscription: Subscription) async throws

    /// Active subscriptions of one frequency, by id.
    func activeSubscriptions(frequency: Subscription.Frequency) async throws -> [Subscription]

    /// How many subscriptions are in each state.
    func subscriptionCounts() async throws -> [Subscription.Status: Int]

    // MARK: Outbox

    /// Writes a digest to the outbox, queued and due at once, with its papers recorded as mailed
    /// to the subscriber; `nil` (and nothing written) when the subscription already has a digest
    /// for that period.
    func enqueue(_ draft: OutboxDraft, at date: Date) async throws -> OutboxMail?

    /// The digest of a subscription for a period, or `nil`.
    func outboxMail(subscriptionID: Int64, period: String) async throws -> OutboxMail?

    /// Every paper in a digest for this subscription that was not given up on.
    func mailedPaperIDs(subscriptionID: Int64) async throws -> Set<PaperID>

    /// Leases up to `limit` queued digests due at `now` whose lease is free or expired to
    /// `owner` until `now + lease`, oldest first.
    func claimDue(limit: Int, owner: String, now: Date, lease: TimeInterval) async throws -> [OutboxMail]

    /// Marks a digest sent if `owner` still holds it; false (and nothing changed) otherwise.
    func markSent(id: Int64, owner: String, at date: Date) async throws -> Bool

    /// Puts a digest back in the queue after a temporary failure: one more attempt, the error
    /// kept, not due before `next`, lease released. Also reopens a digest `owner` marked sent
    /// when the server then refused it after all.
    func markRetry(id: Int64, owner: String, error: String, next: Date) async throws

    /// Ends a digest as ``OutboxMail/Status/failed`` or ``OutboxMail/Status/bounced`` with the
    /// reason (also one `owner` marked sent that the server then refused); a bounce also marks
    /// its subscription bounced, so nothing more is mailed to it.
    func markUndeliverable(id: Int64, owner: String, status: OutboxMail.Status, error: String) async throws

    /// Releases every lease `owner` holds (a sender stopping cleanly).
    func releaseLeases(owner: String) async throws

    /// How many digests are in each state.
    func outboxCounts() async throws -> [OutboxMail.Status: Int]
}

/// What ``SubscriptionStore/enqueue(_:at:)`` writes.
public struct OutboxDraft: Sendable, Hashable {
    /// The subscription.
    public var subscriptionID: Int64
    /// The period (`daily:2026-11-20`).
    public var period: String
    /// The recipient.
    public var recipient: EmailAddress
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// The papers listed.
    public var paperIDs: [PaperID]

    /// Creates a draft.
    public init(
        subscriptionID: Int64, period: String, recipient: EmailAddress, subject: String, text: String, html: String,
        paperIDs: [PaperID]
    ) {
        self.subscriptionID = subscriptionID
        self.period = period
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.paperIDs = paperIDs
    }
}
