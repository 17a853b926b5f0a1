public import Foundation
public import PaperboyModel
public import PaperboyStore

/// Writes a subscriber's digest for a period: first the new papers of the authors they follow
/// and the matches of their saved searches, then the period's trending papers, in their
/// categories, never a paper already mailed to them, at most their paper count; as HTML for mail
/// programs and as plain text.
public struct DigestComposer: Sendable {
    /// A paper in a digest and why it is there.
    public struct Entry: Sendable {
        /// The paper.
        public var paper: Paper
        /// Its upvotes.
        public var upvotes: Int
        /// Why it was picked, for people (`by Ada Lovelace`, `matches “diffusion”`, `trending`).
        public var reason: String
    }

    /// A composed digest.
    public struct Digest: Sendable {
        /// Whose.
        public var subscription: Subscription
        /// Which period.
        public var period: DigestPeriod
        /// The papers, in order.
        public var entries: [Entry]
        /// The subject line.
        public var subject: String
        /// The plain-text body.
        public var text: String
        /// The HTML body.
        public var html: String

        /// The outbox entry for it.
        public var draft: OutboxDraft {
            OutboxDraft(
                subscriptionID: self.subscription.id, period: self.period.key, recipient: self.subscription.email,
                subject: self.subject, text: self.text, html: self.html, paperIDs: self.entries.map(\.paper.id))
        }
    }

    let lists: PaperLists
    let search: PaperSearch
    let subscriptions: SubscriptionService

    /// Creates a composer.
    public init(lists: PaperLists, search: PaperSearch, subscriptions: SubscriptionService) {
        self.lists = lists
        self.search = search
        self.subscriptions = subscriptions
    }

    /// The trending papers of a period, most first, up to `limit` (shared by every subscriber of
    /// a run, so it is fetched once).
    public func trending(
        _ period: DigestPeriod, today: CalendarDay, limit: Int = 500
    ) async throws
        -> [PaperCard]
    {
        try await self.lists.papers(
            in: period.frequency == .daily
                ? .day(period.days.lowerBound) : Period.week(containing: period.days.lowerBound),
            sort: .trending, page: PageRequest(offset: 0, limit: limit), today: today
        ).cards
    }

    /// The digest of `subscription` for `period`; `nil` when it would list no paper (unless
    /// `sendEmpty`).
    public func compose(
        _ subscription: Subscription, period: DigestPeriod, trending: [PaperCard], today: CalendarDay,
        sendEmpty: Bool = false, now: Date = Date()
    ) async throws -> Digest? {
        let mailed = try await self.subscriptions.store.mailedPaperIDs(subscriptionID: subscription.id)
        var picked: [Entry] = []
        var seen = mailed
        let upvotes = Dictionary(trending.map { ($0.paper.id, $0.upvotes) }, uniquingKeysWith: { first, _ in first })
        func take(_ paper: Paper, _ reason: String) {
            guard picked.count < subscription.paperCount, period.days.contains(paper.announced),
                self.wanted(paper, subscription), seen.insert(paper.id).inserted
            else { return }
            picked.append(Entry(paper: paper, upvotes: upvotes[paper.id] ?? 0, reason: reason))
        }
        for author in subscription.authors {
            for paper in try await self.search.papers(
                byAuthor: author, limit: 200, budget: PaperSearch.backgroundBudget)
            { take(paper, "by \(author)") }
        }
        for query in subscription.searches {
            let narrowed = "\(query) from:\(period.days.lowerBound) to:\(period.days.upperBound)"
            guard
                let results = try? await self.search.search(
                    narrowed, limit: 50, highlight: false, budget: PaperSearch.backgroundBudget)
            else { continue }
            for result in results.results { take(result.paper, "matches “\(query)”") }
        }
        for entry in trending { take(entry.paper, entry.upvotes > 0 ? "trending" : "new") }
        guard !picked.isEmpty || sendEmpty else { return nil }
        return self.render(subscription, period: period, entries: picked, now: now)
    }

    /// Subject, text and HTML of a digest.
    func render(_ subscription: Subscription, period: DigestPeriod, entries: [Entry], now: Date) -> Digest {
        let settings = self.subscriptions.settings
        let kind = subscription.frequency == .daily ? "Daily" : "Weekly"
        let count = entries.count == 1 ? "1 paper" : "\(entries.count) papers"
        let subject = "\(settings.siteName) \(kind.lowercased()): \(count) for \(period.title)"
        let manage = self.subscriptions.manageURL(subscription.id, now: now)
        let unsubscribe = self.subscriptions.unsubscribeURL(subscription.id, now: now)
        var text = "\(kind) papers for \(period.title)\n\n"
        var items = ""
        for (index, entry) in entries.enumerated() {
            let url = "\(settings.baseURL)/papers/\(entry.paper.id.pathComponent)"
            let authors = Self.authorLine(entry.paper)
            let excerpt = Self.excerpt(entry.paper.abstract, limit: 280)
            let votes = "\(entry.upvotes) upvote\(entry.upvotes == 1 ? "" : "s")"
            let meta = [entry.paper.categories.first ?? "", votes, entry.reason].filter { !$0.isEmpty }
            text += "\(index + 1). \(entry.paper.title)\n"
            if !authors.isEmpty { text += "   \(authors)\n" }
            text += "   \(meta.joined(separator: " · "))\n"
            text += "   \(url)\n\n"
            items += """
                <tr><td style="padding:14px 0;border-bottom:1px solid #f0f0f2;">
                <div style="font-size:12px;color:#71717a;">\(MailLayout.escape(meta.joined(separator: " · ")))</div>
                <a href="\(MailLayout.escape(url))" style="display:block;margin:2px 0 4px;font-size:17px;font-weight:600;\
                color:#1d4ed8;text-decoration:none;line-height:1.35;">\(MailLayout.escape(entry.paper.title))</a>
                \(authors.isEmpty ? "" : "<div style=\"font-size:13px;color:#52525b;\">\(MailLayout.escape(authors))</div>")
                <div style="font-size:14px;color:#3f3f46;margin-top:6px;">\(MailLayout.escape(excerpt))</div>
                </td></tr>

                """
        }
        if entries.isEmpty {
            text += "No new papers matched your preferences this time.\n\n"
            items = "<tr><td style=\"padding:14px 0;\">No new papers matched your preferences this time.</td></tr>"
        }
        text += """
            You get this because \(subscription.email.rawValue) subscribed to \(subscription.frequency.rawValue) \
            digests from \(settings.siteName).
            Change what you get: \(manage)
            Unsubscribe: \(unsubscribe)

            """
        let html = MailLayout.page(
            title: "\(kind) papers for \(period.title)",
            body: """
                <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
                \(items)</table>
                <p style="margin-top:18px;">\(MailLayout.button("See all papers", settings.baseURL + "/"))</p>
                """,
            footer: """
                You get this because \(MailLayout.escape(subscription.email.rawValue)) subscribed to \
                \(subscription.frequency.rawValue) digests from \(MailLayout.escape(settings.siteName)).<br>
                <a href="\(MailLayout.escape(manage))" style="color:#52525b;">Change what you get</a> · \
                <a href="\(MailLayout.escape(unsubscribe))" style="color:#52525b;">Unsubscribe</a>
                """)
        return Digest(
            subscription: subscription, period: period, entries: entries, subject: subject, text: text, html: html)
    }

    private func wanted(_ paper: Paper, _ subscription: Subscription) -> Bool {
        subscription.categories.isEmpty || paper.categories.contains { subscription.categories.contains($0) }
    }

    /// The first five authors, then "et al.".
    static func authorLine(_ paper: Paper) -> String {
        let names = paper.authors.map(\.name)
        return names.count > 5 ? names.prefix(5).joined(separator: ", ") + " et al." : names.joined(separator: ", ")
    }

    /// The start of an abstract, white space collapsed, cut at a word (within `limit` bytes of
    /// UTF-8), with an ellipsis when cut.
    static func excerpt(_ text: String, limit: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(limit + 4)
        var pendingSpace = false
        var lastSpace = 0
        for byte in text.utf8 {
            if byte == 32 || byte == 10 || byte == 13 || byte == 9 {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                if out.count + 1 > limit { break }
                lastSpace = out.count
                out.append(32)
                pendingSpace = false
            }
            if out.count >= limit {
                // Cut at the last space (never inside a multi-byte character) and mark it.
                out.removeSubrange(lastSpace...)
                return String(decoding: out, as: UTF8.self) + "…"
            }
            out.append(byte)
        }
        if out.count > limit {
            out.removeSubrange(lastSpace...)
            return String(decoding: out, as: UTF8.self) + "…"
        }
        return String(decoding: out, as: UTF8.self)
    }
}
