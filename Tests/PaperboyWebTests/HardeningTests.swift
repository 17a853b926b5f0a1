import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PaperboyMail
import PaperboyModel
import PaperboySecurity
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import Testing

@testable import PaperboyWeb

/// The regressions of the hardening issue that a router test can show (the socket-level ones are
/// in scripts/hardening-test.py).
@Suite("Hardening")
struct HardeningTests {
    static func withSite(
        trustedProxies: [IPNetwork] = IPNetwork.loopback,
        _ body: @escaping @Sendable (Site, any TestClientProtocol) async throws -> Void
    ) async throws {
        let base = try await TestSite.fixture()
        let site = try await Site(
            storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: TestSite.mailbox,
            trustedProxies: trustedProxies)
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in try await body(site, client) }
    }

    @Test("3,000 NOTs before a word: a 400 that says why on every search route, and the server goes on")
    func notChain() async throws {
        let query = String(repeating: "NOT+", count: 3_000) + "a"
        try await Self.withSite { _, client in
            for path in ["/search", "/api/papers/search", "/search.atom", "/search.json"] {
                let response = try await client.execute(uri: "\(path)?q=\(query)", method: .get) { $0 }
                #expect(response.status == .badRequest, "\(path)")
                #expect(String(buffer: response.body).contains("bytes long; at most 4,096"), "\(path)")
            }
            let after = try await client.execute(uri: "/search?q=diffusion", method: .get) { $0 }
            #expect(after.status == .ok)
            let prefixes = (0..<2_000).map { "a\(Character(UnicodeScalar(97 + $0 % 26)!))*" }.joined(separator: "+")
            let many = try await client.execute(uri: "/api/papers/search?q=\(prefixes)", method: .get) { $0 }
            #expect(many.status == .badRequest)
            #expect(String(buffer: many.body).contains("\"code\":\"query_too_large\""))
        }
    }

    @Test("the CSRF marker text in a comment, a name, a query or a collection shows as written, never as a token")
    func csrfMarker() async throws {
        try await Self.withSite { _, client in
            let marker = "__PAPERBOY_CSRF__"
            let ada = try await TestBrowser.member(client, name: "Ada \(marker)", email: "ada@example.org")
            _ = try await ada.post("/papers/2503.01001/comments", ["body": "look: `\(marker)`"])
            _ = try await ada.post("/collections", ["name": "C \(marker)", "public": "1", "paper": "2503.01001"])
            let viewer = try await TestBrowser.open(client)
            for page in ["/papers/2503.01001", "/search?q=\(marker)", "/collections/1"] {
                let html = String(buffer: try await viewer.get(page).body)
                // The token is in the subscribe box and in form fields, nowhere else.
                let tokenFields = html.ranges(of: "name=\"csrf\" value=\"\(viewer.token)\"").count
                #expect(tokenFields >= 1, "\(page): the box has the viewer's token")
                #expect(html.ranges(of: viewer.token).count == tokenFields, "\(page): the token shows elsewhere")
            }
            let paper = String(buffer: try await viewer.get("/papers/2503.01001").body)
            #expect(paper.contains("look: <code>\(marker)</code>"), "the comment shows the text as written")
            #expect(paper.contains("Ada \(marker)"), "and the name")
        }
    }

    @Test(
        "a form post sends the browser back only to a page of this site",
        arguments: [
            ("http://x//evil.com/x", "/papers/2503.01001"), ("/\\evil.com", "/%5Cevil.com"),
            ("///evil.com", "/evil.com"), ("http://127.0.0.1/?date=2025-03-12", "/?date=2025-03-12"),
            ("https://other.example/search?q=x", "/search?q=x"), ("javascript:alert(1)", "/papers/2503.01001"),
        ])
    func refererRedirect(referer: String, expected: String) async throws {
        try await Self.withSite { _, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            var headers = ada.headers
            headers[.referer] = referer
            let response = try await client.execute(
                uri: "/papers/2503.01001/upvote", method: .post, headers: headers,
                body: AccountPageTests.form(["csrf": ada.token])
            ) { $0 }
            #expect(response.status == .found)
            #expect(response.headers[.location] == expected)
        }
    }

    @Test("HEAD answers on every GET route with the GET's status and headers and no body")
    func head() async throws {
        try await Self.withSite { _, client in
            for path in [
                "/", "/trending", "/papers/2503.01001", "/search?q=graph", "/api/daily_papers", "/health",
                "/openapi.json", "/static/style.css", "/signup", "/papers/2503.01001.atom",
            ] {
                let get = try await client.execute(uri: path, method: .get) { $0 }
                let head = try await client.execute(uri: path, method: .head) { $0 }
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
            }
        }
    }

    @Test("every response says nosniff, no framing, and a script-free content security policy")
    func securityHeaders() async throws {
        try await Self.withSite { _, client in
            for path in ["/", "/api/daily_papers", "/nothing-here", "/static/style.css"] {
                let response = try await client.execute(uri: path, method: .get) { $0 }
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "\(path)")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"), "\(path)")
                #expect(!policy.contains("unsafe-inline"))
            }
        }
    }

    @Test("the Bearer scheme is read in any case")
    func bearerCase() async throws {
        try await Self.withSite { _, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let token = try await ada.apiToken()
            for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
                let response = try await client.execute(
                    uri: "/api/me", method: .get, headers: [.authorization: "\(scheme) \(token)"]
                ) { $0 }
                #expect(response.status == .ok, "\(scheme)")
            }
            let wrong = try await client.execute(
                uri: "/api/me", method: .get, headers: [.authorization: "Basic \(token)"]
            ) { $0 }
            #expect(wrong.status == .unauthorized)
        }
    }

    static func request(authority: String?, headers: HTTPFields = [:]) -> Request {
        Request(
            head: HTTPRequest(
                method: .get, scheme: "http", authority: authority, path: "/search.atom", headerFields: headers),
            body: RequestBody(buffer: ByteBuffer()))
    }

    @Test("who is asking: the peer, or the client a trusted proxy names; never a spoofed first hop")
    func clientIdentity() throws {
        let proxy = try #require(SocketAddress(ipAddress: "10.0.0.5", port: 4711) as SocketAddress?)
        let stranger = try SocketAddress(ipAddress: "203.0.113.7", port: 4711)
        let proxies = [try #require(IPNetwork("10.0.0.0/8"))]
        let forwarded = Self.request(
            authority: "papers.example.org",
            headers: [.init("X-Forwarded-For")!: "1.2.3.4, 198.51.100.9", .init("X-Forwarded-Proto")!: "https"])
        // Through the proxy: the rightmost hop that is not a proxy, https believed, the host too.
        let viaProxy = ClientIdentity.of(forwarded, peer: proxy, trustedProxies: proxies)
        #expect(viaProxy == ClientIdentity(key: "198.51.100.9", isHTTPS: true, trustedHost: "papers.example.org"))
        // Straight from a stranger: its own address, nothing of the headers.
        let direct = ClientIdentity.of(forwarded, peer: stranger, trustedProxies: proxies)
        #expect(direct == ClientIdentity(key: "203.0.113.7", isHTTPS: false, trustedHost: nil))
        // Two strangers without headers are two clients, not one shared bucket.
        let other = try SocketAddress(ipAddress: "203.0.113.8", port: 1)
        #expect(
            ClientIdentity.of(Self.request(authority: nil), peer: other, trustedProxies: proxies).key
                != ClientIdentity.of(Self.request(authority: nil), peer: stranger, trustedProxies: proxies).key)
        // IPv6 clients are keyed by their /64.
        let v6a = try SocketAddress(ipAddress: "2001:db8:1:2::10", port: 1)
        let v6b = try SocketAddress(ipAddress: "2001:db8:1:2:ffff::1", port: 1)
        #expect(
            ClientIdentity.of(Self.request(authority: nil), peer: v6a, trustedProxies: []).key == "2001:db8:1:2::/64")
        #expect(
            ClientIdentity.of(Self.request(authority: nil), peer: v6b, trustedProxies: []).key == "2001:db8:1:2::/64")
        // A peer without an address (a connection already closed) is believed in nothing.
        let orphan = ClientIdentity.of(forwarded, peer: nil, trustedProxies: proxies)
        #expect(orphan == ClientIdentity(key: "unknown", isHTTPS: false, trustedHost: nil))
        // A Host that is not a host name never becomes a link, even from a proxy.
        let injected = Self.request(authority: "evil.example\"><x")
        #expect(ClientIdentity.of(injected, peer: proxy, trustedProxies: proxies).trustedHost == nil)
    }

    @Test("feed links come from --base-url, a trusted Host, or the listening address; never an untrusted Host")
    func feedLinks() async throws {
        let base = try await TestSite.fixture()
        let site = try await Site(
            storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: TestSite.mailbox,
            mailBaseURL: "http://127.0.0.1:8080")
        let request = Self.request(authority: "evil.example")
        let untrusted = ClientIdentity.of(
            request, peer: try SocketAddress(ipAddress: "203.0.113.7", port: 1), trustedProxies: IPNetwork.loopback)
        ClientIdentity.$current.withValue(untrusted) {
            #expect(site.baseURL(for: request) == "http://127.0.0.1:8080")
        }
        let local = ClientIdentity.of(
            request, peer: try SocketAddress(ipAddress: "127.0.0.1", port: 1), trustedProxies: IPNetwork.loopback)
        ClientIdentity.$current.withValue(local) {
            #expect(site.baseURL(for: request) == "http://evil.example", "this machine may name its host")
        }
    }

    @Test("an account made with someone else's address sees nothing of that address's subscription")
    func unprovenAddress() async throws {
        let base = try await TestSite.fixture()
        let members = base.storage.members
        let subscriptions = base.storage.subscriptions
        let site = try await Site(
            storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: TestSite.mailbox)
        // Bob's confirmed subscription, and an account made with his address before addresses were
        // proven (a sign-up today cannot make one).
        var created = try await subscriptions.subscribe(
            email: EmailAddress(parsing: "bob@example.org"), memberID: nil, frequency: .daily, at: Date()
        ).subscription
        created.status = .active
        try await subscriptions.updateSubscription(created)
        let bobs = created
        _ = try await members.createMember(
            email: EmailAddress(parsing: "bob@example.org"), displayName: "Mallory",
            passwordHash: PasswordHasher.hash("mallory's password", cost: 4), role: .member, at: Date())
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            var mallory = try await TestBrowser.open(client)
            let signedIn = try await mallory.post(
                "/signin", ["email": "bob@example.org", "password": "mallory's password"])
            mallory.session = try #require(AccountPageTests.cookie("pb_session", in: signedIn))
            let account = String(buffer: try await mallory.get("/account").body)
            #expect(!account.contains("/subscription?token="), "no manage link")
            #expect(account.contains("action=\"/account/verify\""), "asks to prove the address first")
            let subscribe = try await mallory.post("/account/subscribe", ["frequency": "weekly"])
            #expect(subscribe.status == .forbidden)
            #expect(try await subscriptions.subscription(id: bobs.id)?.frequency == .daily, "unchanged")
        }
    }

    @Test("saving preferences never activates a subscription; starting again mails a confirmation")
    func updateNeverActivates() async throws {
        let subscriptions = MemorySubscriptionStore()
        var base = try await TestSite.fixture()
        base.storage.subscriptions = subscriptions
        let mail = RecordingMailTransport()
        let site = try await Site(storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: mail)
        let (pending, _) = try await subscriptions.subscribe(
            email: EmailAddress(parsing: "carol@example.org"), memberID: nil, frequency: .daily, at: Date())
        let ended = try await subscriptions.subscribe(
            email: EmailAddress(parsing: "dave@example.org"), memberID: nil, frequency: .daily, at: Date()
        ).subscription
        var unsubscribed = ended
        unsubscribed.status = .unsubscribed
        try await subscriptions.updateSubscription(unsubscribed)
        let endedCopy = unsubscribed
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            let browser = try await TestBrowser.open(client)
            for subscription in [pending, endedCopy] {
                let token = site.subscriptions.manageToken(subscription.id)
                let saved = try await browser.post(
                    "/subscription", ["token": token, "frequency": "weekly", "paperCount": "10"])
                #expect(saved.status == .ok)
                #expect(try await subscriptions.subscription(id: subscription.id)?.status == subscription.status)
            }
            #expect(mail.sent.isEmpty)
            let again = try await browser.post(
                "/subscription",
                [
                    "token": site.subscriptions.manageToken(ended.id), "frequency": "weekly", "paperCount": "10",
                    "resubscribe": "1",
                ])
            #expect(again.status == .ok)
            #expect(try await subscriptions.subscription(id: ended.id)?.status == .pending)
            #expect(mail.sent.last?.to.map(\.address) == ["dave@example.org"])
            #expect(mail.sent.last?.text.contains("/subscribe/confirm?token=") == true)
        }
    }

    @Test(
        "an address mail could not go to is a 400 that names it, and nothing is stored",
        arguments: [
            "<script>@x.org", "a(b)@example.org", "a\"b@example.org", "a@b@example.org",
        ])
    func badAddresses(address: String) async throws {
        let subscriptions = MemorySubscriptionStore()
        var base = try await TestSite.fixture()
        base.storage.subscriptions = subscriptions
        let site = try await Site(
            storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: RecordingMailTransport())
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            let browser = try await TestBrowser.open(client)
            let subscribe = try await browser.post("/subscribe", ["email": address])
            #expect(subscribe.status == .badRequest)
            let signUp = try await browser.post(
                "/signup", ["email": address, "name": "X", "password": "a long password"])
            #expect(signUp.status == .badRequest)
        }
        #expect(try await subscriptions.subscription(id: 1) == nil, "no pending row")
    }

    @Test("a paper id that could break out of its link is refused, and links percent-encode the rest")
    func paperIDs() throws {
        for text in [
            "doi:10.1/../../account", "doi:10.1/a?b", "doi:10.1/a#b", "doi:10.1/%2e%2e", "doi:./x", "doi:a\\b",
        ] {
            #expect(throws: ModelError.self, "\(text)") { try PaperID(parsing: text) }
        }
        let id = try PaperID(parsing: "doi:10.1002/(SICI)1097;x")
        #expect(PaperLinks.page(id) == "/papers/doi:10.1002/%28SICI%291097%3Bx")
    }

    @Test(
        "a submission of an id numbered in a month to come is a 400; arXiv out of reach is a plain 502 within the deadline"
    )
    func submissions() async throws {
        let base = try await TestSite.fixture()
        let site = try await Site(
            storage: base.storage, index: base.index, paperSource: SilentSource(), bcryptCost: 4,
            mailTransport: TestSite.mailbox)
        var community = site.community
        community.fetchDeadline = .milliseconds(300)
        let member = Member(id: 1, email: try EmailAddress(parsing: "a@example.org"), displayName: "A", created: Date())
        let mayDay2026 = Date(timeIntervalSince1970: 1_780_000_000)
        do {
            _ = try await community.submit("2712.00001", by: member, now: mayDay2026)
            Issue.record("an id of December 2027 was taken in May 2026")
        } catch let error as ServiceError {
            #expect(error.code == .invalidInput && error.message.contains("no such paper exists yet"), "\(error)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await community.submit("2501.00001", by: member, now: mayDay2026)
            Issue.record("a silent arXiv gave a paper")
        } catch let error as ServiceError {
            #expect(error.code == .unavailable)
            #expect(error.message == "arXiv did not answer in time; try again in a few minutes")
            #expect(!error.message.contains("http") && error.detail != nil)
        }
        // 300 ms asked; the bound is loose because the other suites load both cores meanwhile.
        #expect(clock.now - start < .seconds(60))
    }
}

/// A paper source that never answers (arXiv out of reach, slowly).
struct SilentSource: PaperSource {
    // Sleeps an hour: the deadline, not the source, must end the wait.
    func fetch(_ id: ArxivID) async throws {
        try await Task.sleep(for: .seconds(3_600))
    }
}
