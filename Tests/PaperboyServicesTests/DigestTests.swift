import Foundation
import PaperboyMail
import PaperboyModel
import PaperboyStore
import PaperboyTesting
import Testing

@testable import PaperboyServices

@Suite("Digests: subscriptions, composing, the outbox and the sender")
struct DigestTests {
    static let day = CalendarDay(year: 2026, month: 11, day: 20)!
    static let now = Date(timeIntervalSince1970: 1_795_600_000)
    static let key = Array("a key for signing links in tests".utf8)

    static func paper(
        _ n: Int, day: CalendarDay = day, categories: [String] = ["cs.LG"], author: String = "Someone"
    )
        -> Paper
    {
        Paper(
            id: PaperID(try! ArxivID(parsing: "2611.\(10000 + n)")), title: "Paper \(n) on topic \(n % 3)",
            abstract: "About paper \(n).", authors: [Author(name: author)], categories: categories, announced: day)
    }

    /// A world over memory stores: papers, an index, the mail services.
    struct World {
        let papers = MemoryPaperStore()
        let votes = MemoryVoteStore()
        let subscriptions: MemorySubscriptionStore
        let transport: RecordingMailTransport
        let service: SubscriptionService
        let digests: Digests
        let index: PaperIndex
        let directory: TemporaryDirectory

        init(
            papers: [Paper], transport: RecordingMailTransport = RecordingMailTransport(),
            subscriptions: MemorySubscriptionStore = MemorySubscriptionStore()
        ) async throws {
            self.transport = transport
            self.subscriptions = subscriptions
            self.directory = try TemporaryDirectory()
            _ = try await self.papers.upsert(papers)
            self.index = try PaperIndex(path: self.directory.path + "/index")
            _ = try await self.index.catchUp(with: self.papers)
            self.service = SubscriptionService(
                store: self.subscriptions, transport: transport,
                settings: try MailSettings(baseURL: "https://papers.example.org/", key: DigestTests.key),
                checkQuery: self.index.queryCheck)
            let lists = PaperLists(
                store: MemoryListStore(
                    papers: self.papers, votes: self.votes, community: MemoryCommunityStore(),
                    members: MemoryMemberStore()))
            self.digests = Digests(
                composer: DigestComposer(
                    lists: lists, search: PaperSearch(index: self.index, store: self.papers),
                    subscriptions: self.service),
                lists: lists)
        }

        func sender(_ options: DigestSender.Options = DigestSender.Options()) -> DigestSender {
            DigestSender(
                store: self.subscriptions, transport: self.transport, subscriptions: self.service, options: options)
        }

        /// An active subscriber.
        func subscriber(
            _ email: String, _ change: (inout Subscription) -> Void = { _ in }
        ) async throws
            -> Subscription
        {
            var (subscription, _) = try await self.subscriptions.subscribe(
                email: try EmailAddress(parsing: email), memberID: nil, frequency: .daily, at: DigestTests.now)
            subscription.status = .active
            change(&subscription)
            try await self.subscriptions.updateSubscription(subscription)
            return subscription
        }
    }

    static func token(in text: String, path: String) -> String? {
        guard let range = text.range(of: path + "?token=") else { return nil }
        return String(text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "<" })
    }

    @Test("double opt-in: a confirmation mail with a signed link; forged and expired links are refused")
    func doubleOptIn() async throws {
        let world = try await World(papers: [Self.paper(1)])
        let pending = try await world.service.subscribe(
            email: "ada@example.org", frequency: .weekly, client: "test", now: Self.now)
        #expect(pending.status == .pending)
        let mail = try #require(world.transport.sent.first)
        #expect(mail.to.map(\.address) == ["ada@example.org"])
        #expect(mail.subject.contains("Confirm"))
        let token = try #require(Self.token(in: mail.text, path: "https://papers.example.org/subscribe/confirm"))
        #expect(mail.html?.contains(token) == true)
        await #expect(throws: ServiceError.self) { try await world.service.confirm(token: token + "x", now: Self.now) }
        await #expect(throws: ServiceError.self) {
            try await world.service.confirm(token: token, now: Self.now.addingTimeInterval(3 * 86_400))
        }
        let manageToken = world.service.manageToken(pending.id, now: Self.now)
        await #expect(throws: ServiceError.self) { try await world.service.confirm(token: manageToken, now: Self.now) }
        let active = try await world.service.confirm(token: token, now: Self.now)
        #expect(active.status == .active && active.frequency == .weekly && active.confirmed == Self.now)
        // An old confirmation link does not bring back a subscription ended since.
        _ = try await world.service.unsubscribe(manageToken: manageToken, now: Self.now)
        await #expect(throws: ServiceError.self) { try await world.service.confirm(token: token, now: Self.now) }
        #expect(try await world.service.store.subscription(id: pending.id)?.status == .unsubscribed)
        _ = try await world.service.resubscribe(manageToken: manageToken, now: Self.now.addingTimeInterval(1_200))
        _ = try await world.service.confirm(token: token, now: Self.now.addingTimeInterval(1_300))
        // Asking again for an active address mails its manage link instead.
        try await world.service.subscribe(
            email: "ADA@example.org", client: "test", now: Self.now.addingTimeInterval(3_600))
        #expect(world.transport.sent.count == 3, "the confirmation, the new confirmation, the manage link")
        #expect(world.transport.sent[2].text.contains("/subscription?token="))
    }

    @Test("addresses with line breaks or junk are refused; subscribing is rate-limited per address")
    func badInput() async throws {
        let world = try await World(papers: [])
        for bad in ["ada@example.org\r\nBcc: eve@example.org", "not an address", ""] {
            do {
                try await world.service.subscribe(email: bad, client: "test", now: Self.now)
                Issue.record("\(bad) was accepted")
            } catch let error as ServiceError {
                #expect(error.code == .invalidInput && error.field == "email")
            }
        }
        #expect(world.transport.sent.isEmpty)
        for _ in 0..<3 { try await world.service.subscribe(email: "bob@example.org", client: "a", now: Self.now) }
        await #expect(throws: ServiceError.self) {
            try await world.service.subscribe(email: "bob@example.org", client: "b", now: Self.now)
        }
        #expect(world.transport.sent.count == 3)
    }

    @Test("manage and unsubscribe links: preferences are checked, one click ends it, again is a no-op")
    func manage() async throws {
        let world = try await World(papers: [])
        let subscription = try await world.subscriber("ada@example.org")
        let token = world.service.manageToken(subscription.id, now: Self.now)
        let saved = try await world.service.update(
            manageToken: token,
            preferences: .init(
                frequency: .weekly, categories: [" cs.LG", "cs.LG", ""], authors: ["Ada Lovelace"],
                searches: ["diffusion"], paperCount: 5), now: Self.now)
        #expect(saved.categories == ["cs.LG"] && saved.frequency == .weekly && saved.paperCount == 5)
        for bad in [
            SubscriptionService.Preferences(frequency: .daily, searches: ["\"unclosed"]),
            SubscriptionService.Preferences(frequency: .daily, paperCount: 0),
            SubscriptionService.Preferences(frequency: .daily, categories: ["cs.LG<script>"]),
        ] {
            await #expect(throws: ServiceError.self) {
                try await world.service.update(manageToken: token, preferences: bad, now: Self.now)
            }
        }
        let ended = try await world.service.unsubscribe(manageToken: token, now: Self.now)
        #expect(ended.status == .unsubscribed)
        #expect(try await world.service.unsubscribe(manageToken: token, now: Self.now).status == .unsubscribed)
        #expect(try await world.subscriptions.activeSubscriptions(frequency: .weekly).isEmpty)
    }

    @Test("composing: follows and saved searches first, categories kept, nothing mailed twice, empty sends nothing")
    func compose() async throws {
        let papers = [
            Self.paper(1), Self.paper(2, categories: ["cs.CV"]), Self.paper(3, author: "Ada Lovelace"),
            Self.paper(4), Self.paper(5, day: Self.day.adding(days: -1)),
        ]
        let world = try await World(papers: papers)
        _ = try await world.votes.toggleUpvote(memberID: 1, paperID: papers[3].id, at: Self.now)
        let ada = try await world.subscriber("ada@example.org") {
            $0.categories = ["cs.LG"]
            $0.authors = ["Ada Lovelace"]
            $0.paperCount = 3
        }
        let first = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        #expect(first.period?.key == "daily:2026-11-20" && first.queued == 1)
        let mail = try #require(
            try await world.subscriptions.outboxMail(subscriptionID: ada.id, period: "daily:2026-11-20"))
        // Ada's paper first, then trending (4 has an upvote), then the rest of cs.LG; never cs.CV,
        // never the day before.
        #expect(mail.paperIDs == [papers[2].id, papers[3].id, papers[0].id])
        #expect(mail.subject == "Paperboy daily: 3 papers for Nov 20, 2026")
        #expect(mail.text.contains("by Ada Lovelace") && mail.html.contains("by Ada Lovelace"))
        #expect(mail.text.contains("https://papers.example.org/unsubscribe?token="))
        // Again for the same period: nothing new is queued.
        let again = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        #expect(again.queued == 0 && again.alreadyQueued == 1)
        // The next day has only papers already mailed: nothing is sent unless asked.
        let retry = DigestPeriod(frequency: .daily, days: Self.day...Self.day, key: "daily:test", title: "test")
        let empty = try await world.digests.enqueue(
            .daily, today: Self.day, period: retry, now: Self.now)
        #expect(empty.queued == 0 && empty.empty == 1)
        let forced = try await world.digests.enqueue(
            .daily, today: Self.day, period: retry, sendEmpty: true,
            now: Self.now)
        #expect(forced.queued == 1)
    }

    @Test("HTML in titles is escaped in the HTML part")
    func escaping() async throws {
        var paper = Self.paper(1)
        paper.title = "Attacks <script>alert(1)</script> & \"defences\""
        let world = try await World(papers: [paper])
        _ = try await world.subscriber("ada@example.org")
        _ = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        let mail = try #require(try await world.subscriptions.outboxMail(subscriptionID: 1, period: "daily:2026-11-20"))
        #expect(!mail.html.contains("<script>"))
        #expect(mail.html.contains("Attacks &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;defences&quot;"))
    }

    @Test("the sender: one mail per digest over one session, marked sent; a second run sends nothing")
    func sends() async throws {
        let world = try await World(papers: [Self.paper(1), Self.paper(2)])
        for n in 0..<5 { _ = try await world.subscriber("user\(n)@lab\(n).example.org") }
        _ = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        let report = try await world.sender().run(now: { Self.now })
        #expect(report.sent == 5 && report.retried == 0)
        #expect(world.transport.sessions == 1)
        #expect(Set(world.transport.sent.map { $0.to[0].address }).count == 5)
        let message = try #require(world.transport.sent.first)
        #expect(message.unsubscribeURL?.hasPrefix("https://papers.example.org/unsubscribe?token=") == true)
        #expect(message.messageID.hasPrefix("digest."))
        #expect(try await world.sender().run(now: { Self.now }).sent == 0)
        #expect(try await world.subscriptions.outboxCounts() == [.sent: 5])
    }

    @Test("4xx is retried with backoff then given up; 5xx on the recipient bounces and stops the subscription")
    func failures() async throws {
        let transport = RecordingMailTransport { address in
            if address.hasPrefix("later") {
                return MailError(.recipientRefused, "refused", reply: SMTPReply(code: 451, lines: ["try later"]))
            }
            if address.hasPrefix("bounce") {
                return MailError(.recipientRefused, "refused", reply: SMTPReply(code: 550, lines: ["no such user"]))
            }
            return nil
        }
        let world = try await World(papers: [Self.paper(1)], transport: transport)
        let later = try await world.subscriber("later@example.org")
        let bounce = try await world.subscriber("bounce@example.org")
        _ = try await world.subscriber("fine@example.org")
        _ = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        var options = DigestSender.Options()
        options.maxAttempts = 2
        options.retryDelay = 60
        let clock = Clock(Self.now)
        let first = try await world.sender(options).run(now: { clock.now })
        #expect(
            first
                == {
                    var r = DigestSender.Report()
                    r.sent = 1
                    r.retried = 1
                    r.bounced = 1
                    return r
                }())
        let waiting = try #require(
            try await world.subscriptions.outboxMail(subscriptionID: later.id, period: "daily:2026-11-20"))
        #expect(waiting.status == .queued && waiting.attempts == 1 && waiting.lastError?.contains("451") == true)
        #expect(waiting.nextAttempt == Self.now.addingTimeInterval(60))
        #expect(try await world.subscriptions.subscription(id: bounce.id)?.status == .bounced)
        // Not due yet: nothing happens.
        #expect(try await world.sender(options).run(now: { clock.now }) == DigestSender.Report())
        clock.now = Self.now.addingTimeInterval(61)
        let second = try await world.sender(options).run(now: { clock.now })
        #expect(second.failed == 1)
        let gaveUp = try #require(
            try await world.subscriptions.outboxMail(subscriptionID: later.id, period: "daily:2026-11-20"))
        #expect(gaveUp.status == .failed && gaveUp.lastError?.contains("gave up after 2 attempts") == true)
        #expect(world.transport.sent.map { $0.to[0].address } == ["fine@example.org"])
    }

    @Test("a digest whose lease passed to another sender mid-send is withdrawn before its end, not sent")
    func lostLease() async throws {
        let subscriptions = MemorySubscriptionStore()
        // While the text goes out (slowly), the lease expires and another sender takes the digest.
        let transport = RecordingMailTransport(beforeCommit: {
            _ = try? await subscriptions.claimDue(
                limit: 10, owner: "other", now: DigestTests.now.addingTimeInterval(3_600), lease: 3_600)
        })
        let world = try await World(papers: [Self.paper(1)], transport: transport, subscriptions: subscriptions)
        _ = try await world.subscriber("ada@example.org")
        _ = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        #expect(try await world.sender().run(now: { Self.now }).sent == 0)
        #expect(world.transport.sent.isEmpty)
        #expect(try await subscriptions.outboxCounts() == [.queued: 1])
    }

    @Test("a refusal of the final dot reopens the digest; no answer at all keeps it sent (never doubled)")
    func refusedAfterCommit() async throws {
        let transport = RecordingMailTransport(refuseAfterCommit: { address in
            if address.hasPrefix("spam") {
                return MailError(.rejected, "refused", reply: SMTPReply(code: 451, lines: ["try again later"]))
            }
            if address.hasPrefix("silent") { return MailError(.timeout, "no reply to the dot") }
            return nil
        })
        let world = try await World(papers: [Self.paper(1)], transport: transport)
        let spam = try await world.subscriber("spam@example.org")
        let silent = try await world.subscriber("silent@example.org")
        _ = try await world.digests.enqueue(.daily, today: Self.day, now: Self.now)
        let report = try await world.sender().run(now: { Self.now })
        #expect(report.retried == 1 && report.sent == 1)
        let reopened = try #require(
            try await world.subscriptions.outboxMail(subscriptionID: spam.id, period: "daily:2026-11-20"))
        #expect(reopened.status == .queued && reopened.attempts == 1 && reopened.lastError?.contains("451") == true)
        let kept = try await world.subscriptions.outboxMail(subscriptionID: silent.id, period: "daily:2026-11-20")
        #expect(kept?.status == .sent)
    }

    @Test("the schedule: local send time and weekday in the configured time zone")
    func schedule() throws {
        let schedule = try DigestScheduler.Schedule(time: "07:30", timeZone: "Asia/Tokyo", weeklyOn: "monday")
        // 2026-11-22 22:00 UTC is Monday 2026-11-23 07:00 in Tokyo: before the time.
        let before = schedule.due(at: Date(timeIntervalSince1970: 1_795_384_800))
        #expect(before.today == CalendarDay(year: 2026, month: 11, day: 23)! && !before.daily && !before.weekly)
        let after = schedule.due(at: Date(timeIntervalSince1970: 1_795_384_800 + 45 * 60))
        #expect(after.daily && after.weekly)
        #expect(throws: ServiceError.self) { try DigestScheduler.Schedule(time: "25:00") }
        #expect(throws: ServiceError.self) { try DigestScheduler.Schedule(timeZone: "Mars/Olympus") }
        #expect(throws: ServiceError.self) { try DigestScheduler.Schedule(weeklyOn: "someday") }
        // Weekly digests cover the ISO week before today's.
        let weekly = DigestPeriod.current(.weekly, today: CalendarDay(year: 2026, month: 11, day: 23)!, latestDay: nil)
        #expect(weekly?.key == "weekly:2026-W47")
        #expect(DigestPeriod.current(.daily, today: Self.day, latestDay: nil) == nil)
    }
}

/// A settable clock for the sender.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { self.value = start }
    var now: Date {
        get { self.lock.withLock { self.value } }
        set { self.lock.withLock { self.value = newValue } }
    }
}

@Suite("Digest excerpts")
struct DigestExcerptTests {
    @Test(
        "white space collapsed, cut at a word with an ellipsis",
        arguments: [
            ("  short\n text ", 20, "short text"),
            ("one two three four", 9, "one two…"),
            ("one two three", 13, "one two three"),
            ("éé éé éé", 6, "éé…"),
            ("averyveryverylongword", 5, "…"),
        ])
    func excerpt(text: String, limit: Int, expected: String) {
        #expect(DigestComposer.excerpt(text, limit: limit) == expected)
    }
}
