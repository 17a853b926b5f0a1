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
}
