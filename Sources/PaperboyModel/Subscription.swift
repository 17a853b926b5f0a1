public import Foundation

/// Someone who gets digests by e-mail: an address, how often, and what they care about.
public struct Subscription: Hashable, Sendable, Identifiable {
    /// How often digests go out.
    public enum Frequency: String, Hashable, Sendable, CaseIterable {
        /// After each announcement day.
        case daily
        /// Once an ISO week, for the week before.
        case weekly
    }

    /// Where the subscription stands.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Waiting for the confirmation link to be followed; nothing is mailed.
        case pending
        /// Confirmed: digests go out.
        case active
        /// Ended by the subscriber; nothing is mailed.
        case unsubscribed
        /// The address was refused for good by its mail server; nothing is mailed.
        case bounced
    }

    /// The store's id.
    public let id: Int64
    /// Where digests go.
    public var email: EmailAddress
    /// The member it belongs to, when subscribed from an account.
    public var memberID: Int64?
    /// How often.
    public var frequency: Frequency
    /// Only papers in these categories (`cs.LG`); empty means every category.
    public var categories: [String]
    /// Authors whose new papers always come first.
    public var authors: [String]
    /// Saved searches whose new matches always come first.
    public var searches: [String]
    /// How many papers a digest lists at most.
    public var paperCount: Int
    /// Where it stands.
    public var status: Status
    /// When it was made.
    public var created: Date
    /// When the address was confirmed.
    public var confirmed: Date?
    /// Why it stopped (the mail server's reply for a bounce).
    public var statusReason: String?

    /// Creates a subscription.
    public init(
        id: Int64, email: EmailAddress, memberID: Int64? = nil, frequency: Frequency = .daily,
        categories: [String] = [], authors: [String] = [], searches: [String] = [], paperCount: Int = 10,
        status: Status = .pending, created: Date, confirmed: Date? = nil, statusReason: String? = nil
    ) {
        self.id = id
        self.email = email
        self.memberID = memberID
        self.frequency = frequency
        self.categories = categories
        self.authors = authors
        self.searches = searches
        self.paperCount = paperCount
        self.status = status
        self.created = created
        self.confirmed = confirmed
        self.statusReason = statusReason
    }

    /// The range of ``paperCount``.
    public static let paperCounts = 1...50
}

/// A digest in the outbox: written before it is sent, unique per subscription and period, and
/// marked when the mail server has taken it.
public struct OutboxMail: Hashable, Sendable, Identifiable {
    /// Where it stands.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Waiting to be sent (again, after a temporary failure).
        case queued
        /// Taken by the mail server.
        case sent
        /// Given up after too many temporary failures.
        case failed
        /// Refused for good by the recipient's server.
        case bounced
    }

    /// The store's id.
    public let id: Int64
    /// The subscription it is for.
    public var subscriptionID: Int64
    /// The period it covers (`daily:2026-11-20`, `weekly:2026-W47`); one mail per subscription
    /// and period.
    public var period: String
    /// The recipient.
    public var recipient: EmailAddress
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// The papers it lists, so that none is mailed to the subscriber again.
    public var paperIDs: [PaperID]
    /// Where it stands.
    public var status: Status
    /// How many times sending was tried.
    public var attempts: Int
    /// Not to be tried before this.
    public var nextAttempt: Date
    /// The last failure, with the server's reply.
    public var lastError: String?
    /// When it was written.
    public var created: Date
    /// When the server took it.
    public var sent: Date?

    /// Creates an outbox entry.
    public init(
        id: Int64, subscriptionID: Int64, period: String, recipient: EmailAddress, subject: String, text: String,
        html: String, paperIDs: [PaperID], status: Status = .queued, attempts: Int = 0, nextAttempt: Date,
        lastError: String? = nil, created: Date, sent: Date? = nil
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.period = period
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.paperIDs = paperIDs
        self.status = status
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.lastError = lastError
        self.created = created
        self.sent = sent
    }
}
