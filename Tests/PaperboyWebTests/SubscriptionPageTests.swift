import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyMail
import PaperboyModel
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import PaperboyWeb
import Testing

@Suite("E-mail digest pages")
struct SubscriptionPageTests {
    static func site(_ transport: RecordingMailTransport) async throws -> Site {
        let base = try await TestSite.fixture()
        return try await Site(
            storage: base.storage, index: base.index, bcryptCost: 4, mailTransport: transport,
            mailBaseURL: "https://papers.example.org")
    }

    /// The path and query of the first link in `text` that starts with the site's address + `path`.
    static func link(_ path: String, in text: String) throws -> String {
        let prefix = "https://papers.example.org" + path
        guard let range = text.range(of: prefix) else { throw TestBrowserError("no \(path) link in: \(text)") }
        return path + String(text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" })
    }

    @Test("the subscribe box is on every page with a CSRF token; error pages leave it out")
    func box() async throws {
        let app = Application(router: buildRouter(site: try await Self.site(RecordingMailTransport())))
        try await app.test(.router) { client in
            for uri in ["/", "/trending", "/search?q=diffusion", "/papers/2503.01001", "/about", "/signin"] {
                let html = String(buffer: try await client.execute(uri: uri, method: .get) { $0 }.body)
                #expect(html.contains("Get trending papers in your email inbox!"), "\(uri)")
                #expect(html.contains("action=\"/subscribe\""), "\(uri)")
                #expect(!html.contains("__PAPERBOY_CSRF__"), "\(uri)")
            }
            let missing = try await client.execute(uri: "/papers/2503.09999", method: .get) { $0 }
            #expect(missing.status == .notFound)
            #expect(!String(buffer: missing.body).contains("__PAPERBOY_CSRF__"))
        }
    }

    @Test("subscribe, confirm by the mailed link, manage, then unsubscribe with one click (RFC 8058)")
    func lifecycle() async throws {
        let transport = RecordingMailTransport()
        let site = try await Self.site(transport)
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            let browser = try await TestBrowser.open(client)
            let refused = try await browser.post("/subscribe", ["email": "ada@example.org"], csrf: false)
            #expect(refused.status == .forbidden)
            #expect(transport.sent.isEmpty)
            let bad = try await browser.post("/subscribe", ["email": "ada@example.org\r\nBcc: eve@example.org"])
            #expect(bad.status == .badRequest)
            #expect(transport.sent.isEmpty)

            let asked = try await browser.post("/subscribe", ["email": "ada@example.org", "frequency": "weekly"])
            #expect(asked.status == .ok)
            #expect(String(buffer: asked.body).contains("Check your inbox"))
            let confirmation = try #require(transport.sent.first)
            let confirm = try Self.link("/subscribe/confirm", in: confirmation.text)
            let store = site.subscriptions.store
            let pending = try #require(
                try await store.subscription(email: try EmailAddress(parsing: "ada@example.org")))
            #expect(pending.status == .pending && pending.frequency == .weekly)

            // Following the link only asks (link checkers follow links); the button confirms.
            let asking = try await browser.get(confirm)
            #expect(String(buffer: asking.body).contains("Yes, send me digests"))
            #expect(try await store.subscription(id: pending.id)?.status == .pending)
            let confirmToken = String(confirm.dropFirst("/subscribe/confirm?token=".count))
            let unsigned = try await browser.post("/subscribe/confirm", ["token": confirmToken], csrf: false)
            #expect(unsigned.status == .forbidden)
            let confirmed = try await browser.post("/subscribe/confirm", ["token": confirmToken])
            #expect(String(buffer: confirmed.body).contains("You are subscribed"))
            #expect(try await store.subscription(id: pending.id)?.status == .active)
            let manage = "/subscription?token=" + site.subscriptions.manageToken(pending.id)

            let page = try await browser.get(manage)
            #expect(String(buffer: page.body).contains("ada@example.org"))
            let token = String(manage.dropFirst("/subscription?token=".count))
            let saved = try await browser.post(
                "/subscription",
                [
                    "token": token, "frequency": "daily", "paperCount": "7", "categories": "cs.LG, cs.CV",
                    "authors": "Ada Lovelace\nAlan Turing", "searches": "diffusion",
                ])
            #expect(String(buffer: saved.body).contains("Saved."))
            let updated = try #require(try await store.subscription(id: pending.id))
            #expect(updated.categories == ["cs.LG", "cs.CV"] && updated.paperCount == 7)
            #expect(updated.authors == ["Ada Lovelace", "Alan Turing"] && updated.frequency == .daily)
            let badSearch = try await browser.post(
                "/subscription", ["token": token, "frequency": "daily", "paperCount": "7", "searches": "\"unclosed"])
            #expect(badSearch.status == .badRequest)
            #expect(String(buffer: badSearch.body).contains("unclosed quote"))

            // Following the unsubscribe link only asks (link checkers must not unsubscribe).
            let ask = try await client.execute(uri: "/unsubscribe?token=\(token)", method: .get) { $0 }
            #expect(String(buffer: ask.body).contains("Stop sending digests"))
            #expect(try await store.subscription(id: pending.id)?.status == .active)
            // A forged token is refused.
            let forged = try await client.execute(
                uri: "/unsubscribe?token=\(token)x", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            ) { $0 }
            #expect(forged.status == .unauthorized)
            // The mail program's one-click POST: no cookies, no CSRF token, just the signed URL.
            let oneClick = try await client.execute(
                uri: "/unsubscribe?token=\(token)", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            ) { $0 }
            #expect(oneClick.status == .ok)
            #expect(try await store.subscription(id: pending.id)?.status == .unsubscribed)
        }
    }

    @Test("a member, whose address the sign-up link proved, subscribes from the account page at once")
    func member() async throws {
        let transport = RecordingMailTransport()
        let app = Application(router: buildRouter(site: try await Self.site(transport)))
        try await app.test(.router) { client in
            let browser = try await TestBrowser.member(
                client, name: "Ada", email: "ada@example.org", mailbox: transport)
            let mailed = transport.sent.count
            let before = String(buffer: try await browser.get("/account").body)
            #expect(before.contains("action=\"/account/subscribe\""))
            let asked = try await browser.post("/account/subscribe", ["frequency": "weekly"])
            #expect(asked.status == .ok)
            #expect(transport.sent.count == mailed, "no confirmation needed: the address is proven")
            let after = String(buffer: try await browser.get("/account").body)
            #expect(after.contains("You get weekly digests."))
            #expect(after.contains("/subscription?token="))
        }
    }

    @Test("a password reset link goes out by mail, not to the page")
    func passwordReset() async throws {
        let transport = RecordingMailTransport()
        let app = Application(router: buildRouter(site: try await Self.site(transport)))
        try await app.test(.router) { client in
            _ = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org", mailbox: transport)
            let browser = try await TestBrowser.open(client)
            let before = transport.sent.count
            let page = try await browser.post("/reset", ["email": "ada@example.org"])
            #expect(page.status == .ok)
            // The mail goes out on its own, so the answer takes as long for any address.
            for _ in 0..<100 where transport.sent.count == before { try await Task.sleep(for: .milliseconds(20)) }
            let mail = try #require(transport.sent.last)
            let link = try Self.link("/reset/", in: mail.text)
            #expect(!String(buffer: page.body).contains(link))
            #expect(mail.subject.contains("password"))
        }
    }
}
