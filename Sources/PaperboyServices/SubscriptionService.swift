public import Foundation
public import PaperboyMail
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

/// Subscribing to digests with double opt-in, and managing or ending a subscription through
/// signed links.
///
/// A new address is pending until the link in its confirmation mail is followed; the answer to a
/// subscription request is the same whether or not the address was known, so the form tells no
/// one who subscribes. Links carry a signed token: a confirmation link works for
/// ``confirmationLifetime``; manage and unsubscribe links (in every digest) for a year.
public struct SubscriptionService: Sendable {
    /// Where subscriptions live.
    public let store: any SubscriptionStore
    /// Where confirmation mails go.
    public let transport: any MailTransport
    /// Sender, links and signing key.
    public let settings: MailSettings
    /// Checks a saved search (throws with a located message when it does not parse).
    let checkQuery: @Sendable (String) throws -> Void
    /// How long a confirmation link works.
    public var confirmationLifetime: TimeInterval = 2 * 86_400
    /// How long manage and unsubscribe links work.
    public var manageLifetime: TimeInterval = 366 * 86_400
    private let addressLimiter: AttemptLimit
    private let clientLimiter: AttemptLimit

    /// Creates the service, its rate limits kept in `rateLimits` when given (a backend several
    /// nodes share) or in this process.
    public init(
        store: any SubscriptionStore, rateLimits: (any RateLimitStore)? = nil, transport: any MailTransport,
        settings: MailSettings, checkQuery: @escaping @Sendable (String) throws -> Void = { _ in }
    ) {
        self.store = store
        self.addressLimiter = AttemptLimit("subscribe.mail", capacity: 3, perMinute: 0.05, shared: rateLimits)
        self.clientLimiter = AttemptLimit("subscribe.client", capacity: 10, perMinute: 5, shared: rateLimits)
        self.transport = transport
        self.settings = settings
        self.checkQuery = checkQuery
    }

    /// What the subscriber can change.
    public struct Preferences: Sendable, Equatable {
        /// Daily or weekly.
        public var frequency: Subscription.Frequency
        /// Categories to keep (empty: all).
        public var categories: [String]
        /// Authors to follow.
        public var authors: [String]
        /// Saved searches.
        public var searches: [String]
        /// Papers per digest.
        public var paperCount: Int

        /// Creates preferences.
        public init(
            frequency: Subscription.Frequency, categories: [String] = [], authors: [String] = [],
            searches: [String] = [], paperCount: Int = 10
        ) {
            self.frequency = frequency
            self.categories = categories
            self.authors = authors
            self.searches = searches
            self.paperCount = paperCount
        }
    }

    // MARK: Subscribing

    /// Asks to subscribe `email`: a pending (or ended) subscription gets a confirmation mail, an
    /// active one a mail with its manage link. `client` (an IP address) is rate-limited.
    ///
    /// - Throws: ``ServiceError`` `invalidInput` (field `email`) for an address that is not one,
    ///   `rateLimited` after too many requests from the client or for the address; the mail
    ///   transport's errors.
    @discardableResult
    public func subscribe(
        email: String, frequency: Subscription.Frequency = .daily, memberID: Int64? = nil, client: String,
        now: Date = Date()
    ) async throws -> Subscription {
        let address = try AddressRule.parse(email)
        guard try await self.clientLimiter.allow(client, at: now) else {
            throw ServiceError(.rateLimited, "too many subscription requests from here; try again in a few minutes")
        }
        guard try await self.addressLimiter.allow(address.normalized, at: now) else {
            throw ServiceError(
                .rateLimited, "we already sent mail to this address a moment ago; check its inbox, or try again later")
        }
        var (subscription, created) = try await self.store.subscribe(
            email: address, memberID: memberID, frequency: frequency, at: now)
        if !created, subscription.status != .active {
            subscription.frequency = frequency
            if subscription.memberID == nil { subscription.memberID = memberID }
            if subscription.status != .pending {
                subscription.status = .pending
                subscription.statusReason = nil
            }
            try await self.store.updateSubscription(subscription)
        }
        if subscription.status == .active {
            try await self.transport.sendOne(try self.alreadySubscribedMail(subscription, now: now))
        } else {
            try await self.transport.sendOne(try self.confirmationMail(subscription, now: now))
        }
        return subscription
    }

    /// Subscribes a member's own address, which they proved when the account was made: active at
    /// once, no confirmation mail.
    ///
    /// - Throws: ``ServiceError`` `forbidden` when the member's address is not proven yet.
    @discardableResult
    public func subscribe(
        member: Member, frequency: Subscription.Frequency = .daily, now: Date = Date()
    ) async throws -> Subscription {
        guard member.emailVerified != nil else {
            throw ServiceError(
                .forbidden,
                "confirm that \(member.email) is your address first (the account page sends the link); until then nothing is mailed to it"
            )
        }
        var (subscription, _) = try await self.store.subscribe(
            email: member.email, memberID: member.id, frequency: frequency, at: now)
        subscription.memberID = member.id
        subscription.frequency = frequency
        if subscription.status != .active {
            subscription.status = .active
            subscription.confirmed = now
            subscription.statusReason = nil
        }
        try await self.store.updateSubscription(subscription)
        return subscription
    }

    /// The subscription a confirmation link names, while the link works (to ask before confirming).
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a forged or expired link, `notFound`.
    public func confirmable(token: String, now: Date = Date()) async throws -> Subscription {
        let subscription = try await self.subscription(token: token, purpose: "confirm", now: now)
        guard subscription.status == .pending || subscription.status == .active else {
            throw ServiceError(
                .unauthorized, "this confirmation link is not valid any more; subscribe again to get a new one")
        }
        return subscription
    }

    /// Confirms a subscription from the link in its confirmation mail.
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a forged or expired link, or one of a
    ///   subscription ended since (it starts again only through a new mail); `notFound` when the
    ///   subscription is gone.
    @discardableResult
    public func confirm(token: String, now: Date = Date()) async throws -> Subscription {
        var subscription = try await self.subscription(token: token, purpose: "confirm", now: now)
        guard subscription.status != .active else { return subscription }
        // An ended or bounced subscription starts again only through a new confirmation mail:
        // an old link, found later, does not bring it back.
        guard subscription.status == .pending else {
            throw ServiceError(
                .unauthorized, "this confirmation link is not valid any more; subscribe again to get a new one")
        }
        subscription.status = .active
        subscription.confirmed = now
        subscription.statusReason = nil
        try await self.store.updateSubscription(subscription)
        return subscription
    }

    // MARK: Managing

    /// The subscription a manage or unsubscribe link names.
    ///
    /// - Throws: ``ServiceError`` `unauthorized` for a forged or expired link, `notFound`.
    public func subscription(manageToken token: String, now: Date = Date()) async throws -> Subscription {
        try await self.subscription(token: token, purpose: "manage", now: now)
    }

    /// Changes a subscription's preferences through its manage link.
    ///
    /// - Throws: ``ServiceError`` `invalidInput` naming the field (a category that is not one, a
    ///   saved search that does not parse, too many entries), and the errors of
    ///   ``subscription(manageToken:now:)``.
    @discardableResult
    public func update(
        manageToken token: String, preferences: Preferences, now: Date = Date()
    ) async throws
        -> Subscription
    {
        var subscription = try await self.subscription(manageToken: token, now: now)
        let checked = try self.checked(preferences)
        subscription.frequency = checked.frequency
        subscription.categories = checked.categories
        subscription.authors = checked.authors
        subscription.searches = checked.searches
        subscription.paperCount = checked.paperCount
        // Saving never changes where the subscription stands: only a confirmation link
        // (``resubscribe(manageToken:now:)`` mails one) makes it active.
        try await self.store.updateSubscription(subscription)
        return subscription
    }

    /// Asks to start an ended (or bounced) subscription again from its manage page: it waits for
    /// a new confirmation, and the confirmation mail goes out.
    ///
    /// - Throws: ``ServiceError`` `rateLimited` when the address got mail a moment ago, and the
    ///   errors of ``subscription(manageToken:now:)``.
    @discardableResult
    public func resubscribe(manageToken token: String, now: Date = Date()) async throws -> Subscription {
        var subscription = try await self.subscription(manageToken: token, now: now)
        guard subscription.status != .active else { return subscription }
        guard try await self.addressLimiter.allow(subscription.email.normalized, at: now) else {
            throw ServiceError(
                .rateLimited, "we already sent mail to this address a moment ago; check its inbox, or try again later")
        }
        if subscription.status != .pending {
            subscription.status = .pending
            subscription.statusReason = nil
            try await self.store.updateSubscription(subscription)
        }
        try await self.transport.sendOne(try self.confirmationMail(subscription, now: now))
        return subscription
    }

    /// Ends a subscription through its unsubscribe link (one click: RFC 8058). Again is a no-op.
    @discardableResult
    public func unsubscribe(manageToken token: String, now: Date = Date()) async throws -> Subscription {
        var subscription = try await self.subscription(manageToken: token, now: now)
        guard subscription.status != .unsubscribed else { return subscription }
        subscription.status = .unsubscribed
        subscription.statusReason = "unsubscribed on \(CalendarDay(now))"
        try await self.store.updateSubscription(subscription)
        return subscription
    }

    /// The subscription of a member's address, if there is one and the member has proven the
    /// address (an account made with someone else's address sees nothing of theirs).
    public func subscription(of member: Member) async throws -> Subscription? {
        guard member.emailVerified != nil else { return nil }
        return try await self.store.subscription(email: member.email)
    }

    // MARK: Links

    /// The token of a subscription's manage and unsubscribe links.
    public func manageToken(_ subscriptionID: Int64, now: Date = Date()) -> String {
        SecureToken.sign(
            "sub.\(subscriptionID).manage",
            expires: Int64(now.addingTimeInterval(self.manageLifetime).timeIntervalSince1970), key: self.settings.key)
    }

    /// The token of a subscription's confirmation link.
    public func confirmationToken(_ subscriptionID: Int64, now: Date = Date()) -> String {
        SecureToken.sign(
            "sub.\(subscriptionID).confirm",
            expires: Int64(now.addingTimeInterval(self.confirmationLifetime).timeIntervalSince1970),
            key: self.settings.key)
    }

    /// The manage page of a subscription.
    public func manageURL(_ subscriptionID: Int64, now: Date = Date()) -> String {
        "\(self.settings.baseURL)/subscription?token=\(self.manageToken(subscriptionID, now: now))"
    }

    /// The one-click unsubscribe address of a subscription.
    public func unsubscribeURL(_ subscriptionID: Int64, now: Date = Date()) -> String {
        "\(self.settings.baseURL)/unsubscribe?token=\(self.manageToken(subscriptionID, now: now))"
    }

    private func subscription(token: String, purpose: String, now: Date) async throws -> Subscription {
        let invalid = ServiceError(
            .unauthorized,
            purpose == "confirm"
                ? "this confirmation link is not valid any more; subscribe again to get a new one"
                : "this link is not valid any more; use the link in your latest digest")
        guard let payload = SecureToken.verify(token, now: Int64(now.timeIntervalSince1970), key: self.settings.key)
        else { throw invalid }
        let parts = payload.split(separator: ".")
        guard parts.count == 3, parts[0] == "sub", parts[2] == purpose, let id = Int64(parts[1]) else { throw invalid }
        guard let subscription = try await self.store.subscription(id: id) else {
            throw ServiceError(.notFound, "this subscription no longer exists")
        }
        return subscription
    }

    private func checked(_ preferences: Preferences) throws -> Preferences {
        var out = preferences
        out.categories = Self.cleaned(preferences.categories)
        for category in out.categories
        where !category.allSatisfy({ $0.isLetter || $0.isNumber || "-._".contains($0) }) || category.count > 32 {
            throw ServiceError(.invalidInput, field: "categories", "\"\(category)\" is not a category like cs.LG")
        }
        out.authors = Self.cleaned(preferences.authors)
        out.searches = Self.cleaned(preferences.searches)
        for (field, values) in [("categories", out.categories), ("authors", out.authors), ("searches", out.searches)] {
            if values.count > 20 { throw ServiceError(.invalidInput, field: field, "at most 20 \(field)") }
            if let long = values.first(where: { $0.count > 200 }) {
                throw ServiceError(.invalidInput, field: field, "\"\(long.prefix(40))…\" is longer than 200 characters")
            }
        }
        for search in out.searches {
            do {
                try self.checkQuery(search)
            } catch {
                throw ServiceError(.invalidInput, field: "searches", "the saved search \"\(search)\": \(error)")
            }
        }
        guard Subscription.paperCounts.contains(preferences.paperCount) else {
            throw ServiceError(
                .invalidInput, field: "paperCount",
                "papers per digest must be \(Subscription.paperCounts.lowerBound)–\(Subscription.paperCounts.upperBound)"
            )
        }
        return out
    }

    /// Trimmed, without empties or repeats, in the order given.
    static func cleaned(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty && seen.insert($0.lowercased()).inserted
        }
    }

    // MARK: Mails

    private func confirmationMail(_ subscription: Subscription, now: Date) throws -> MailMessage {
        let link =
            "\(self.settings.baseURL)/subscribe/confirm?token=\(self.confirmationToken(subscription.id, now: now))"
        let name = self.settings.siteName
        let text = """
            Someone, probably you, asked for \(subscription.frequency.rawValue) digests of trending papers from \(name) \
            at this address.

            Confirm your subscription by following this link (it works for 48 hours):
            \(link)

            If you did not ask for this, ignore this mail: nothing will be sent without a confirmation.
            """
        let html = MailLayout.page(
            title: "Confirm your subscription",
            body: """
                <p>Someone, probably you, asked for \(subscription.frequency.rawValue) digests of trending papers from \
                \(MailLayout.escape(name)) at this address.</p>
                <p>\(MailLayout.button("Confirm my subscription", link))</p>
                <p style="color:#666;font-size:13px">The link works for 48 hours. If you did not ask for this, ignore \
                this mail: nothing will be sent without a confirmation.</p>
                """)
        return MailMessage(
            from: self.settings.from, to: [try MailAddress(subscription.email.rawValue)],
            subject: "Confirm your \(name) subscription", text: text, html: html, date: now,
            messageID: "confirm.\(subscription.id).\(SecureToken.random(bytes: 9))@\(self.settings.messageIDDomain)")
    }

    private func alreadySubscribedMail(_ subscription: Subscription, now: Date) throws -> MailMessage {
        let manage = self.manageURL(subscription.id, now: now)
        let text = """
            This address already gets \(subscription.frequency.rawValue) digests from \(self.settings.siteName).
            Change what you get, or unsubscribe, here:
            \(manage)
            """
        let html = MailLayout.page(
            title: "You are already subscribed",
            body: """
                <p>This address already gets \(subscription.frequency.rawValue) digests from \
                \(MailLayout.escape(self.settings.siteName)).</p>
                <p>\(MailLayout.button("Manage my subscription", manage))</p>
                """)
        return MailMessage(
            from: self.settings.from, to: [try MailAddress(subscription.email.rawValue)],
            subject: "Your \(self.settings.siteName) subscription", text: text, html: html, date: now,
            messageID: "manage.\(subscription.id).\(SecureToken.random(bytes: 9))@\(self.settings.messageIDDomain)",
            unsubscribeURL: self.unsubscribeURL(subscription.id, now: now))
    }

    /// How many digests the outbox holds in each state, every state named (for `/metrics`).
    public func outboxCounts() async throws -> [(state: String, count: Int)] {
        let counts = try await self.store.outboxCounts()
        return OutboxMail.Status.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
    }

    /// How many subscriptions have each status, every status named (for `/metrics`).
    public func subscriptionCounts() async throws -> [(status: String, count: Int)] {
        let counts = try await self.store.subscriptionCounts()
        return Subscription.Status.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
    }
}
