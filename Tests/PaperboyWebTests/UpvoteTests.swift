import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyWeb
import Testing

@Suite("Upvotes on the site and in the API")
struct UpvoteTests {
    @Test("a member upvotes from the daily list, the count shows everywhere, a second press takes it back")
    func toggle() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/signup", method: .get) { $0 }
            let browser = try #require(AccountPageTests.cookie("pb_csrf", in: page))
            let token = try #require(AccountPageTests.csrf(in: String(buffer: page.body)))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "pb_csrf=\(browser)"]

            // Not signed in: the button leads to the sign-in page and counts nothing.
            let anonymous = try await client.execute(
                uri: "/papers/2503.01001/upvote", method: .post, headers: form,
                body: AccountPageTests.form(["csrf": token])
            ) { $0 }
            #expect(anonymous.status == .found && anonymous.headers[.location] == "/signin")

            let voter = try await TestBrowser.member(client, name: "Voter", email: "voter@example.org")
            let session = try #require(voter.session)
            _ = token
            var headers = form
            headers[.cookie] = "pb_csrf=\(browser); pb_session=\(session)"
            headers[.referer] = "http://127.0.0.1/?date=2025-03-12"

            let missingToken = try await client.execute(
                uri: "/papers/2503.01001/upvote", method: .post, headers: headers, body: AccountPageTests.form([:])
            ) { $0 }
            #expect(missingToken.status == .forbidden)

            let upvoted = try await client.execute(
                uri: "/papers/2503.01001/upvote", method: .post, headers: headers,
                body: AccountPageTests.form(["csrf": token])
            ) { $0 }
            #expect(
                upvoted.status == .found && upvoted.headers[.location] == "/?date=2025-03-12",
                "back where the button was")
            let daily = try await client.execute(uri: "/?date=2025-03-12", method: .get, headers: headers) { $0 }
            #expect(
                String(buffer: daily.body).contains(
                    "aria-pressed=\"true\" title=\"Upvote\">▲ <span class=\"count\">1</span>"))
            let api = try await client.execute(uri: "/api/papers/2503.01001", method: .get) { $0 }
            let json = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [String: Any]
            #expect(json?["upvotes"] as? Int == 1)
            let list = try await client.execute(uri: "/api/daily_papers?date=2025-03-12", method: .get) { $0 }
            let items = try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]]
            let entry = items?.first { ($0["paper"] as? [String: Any])?["id"] as? String == "2503.01001" }
            #expect((entry?["paper"] as? [String: Any])?["upvotes"] as? Int == 1)

            _ = try await client.execute(
                uri: "/papers/2503.01001/upvote", method: .post, headers: headers,
                body: AccountPageTests.form(["csrf": token])
            ) { $0 }
            let again = try await client.execute(uri: "/papers/2503.01001", method: .get, headers: headers) { $0 }
            #expect(
                String(buffer: again.body).contains("aria-pressed=\"false\">▲ Upvote · <span class=\"count\">0</span>"))

            let unknown = try await client.execute(
                uri: "/papers/2503.09999/upvote", method: .post, headers: headers,
                body: AccountPageTests.form(["csrf": token])
            ) { $0 }
            #expect(unknown.status == .notFound)
        }
    }

    @Test("an anonymous list page is cached with a placeholder: each browser gets its own token, a write shows at once")
    func pageCache() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let one = try await TestBrowser.open(client)
            let two = try await TestBrowser.open(client)
            #expect(one.token != two.token)
            let uri = "/?date=2025-03-12"
            let first = String(buffer: try await one.get(uri).body)
            let second = String(buffer: try await two.get(uri).body)
            // Every form of the page carries the browser's own token, never the other's, and the
            // placeholder the cache keeps is never served.
            for (html, own, other) in [(first, one.token, two.token), (second, two.token, one.token)] {
                #expect(html.components(separatedBy: "name=\"csrf\" value=\"\(own)\"").count > 2)
                #expect(!html.contains(other) && !html.contains("pb-token-"))
            }
            let stranger = String(buffer: try await client.execute(uri: uri, method: .get) { $0 }.body)
            #expect(!stranger.contains(one.token) && !stranger.contains(two.token) && !stranger.contains("pb-token-"))

            // A member's upvote empties the cache: the next anonymous view counts it.
            let member = try await TestBrowser.member(client, name: "Cache Tester", email: "cache@example.org")
            let upvoted = try await member.post("/papers/2503.01001/upvote")
            #expect(upvoted.status == .found)
            let mine = String(buffer: try await member.get(uri).body)
            #expect(mine.contains("aria-pressed=\"true\""), "the member's own page shows their upvote")
            let after = String(buffer: try await one.get(uri).body)
            #expect(!after.contains("aria-pressed=\"true\""), "anonymous pages show nobody's upvote")
            let counted = "<span class=\"count\">1</span>"
            #expect(!first.contains(counted), "nothing was upvoted when the page was cached")
            #expect(after.components(separatedBy: counted).count == 2, "the new count shows at once")
        }
    }
}
