import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyWeb
import Testing

@Suite("Accounts on the site")
struct AccountPageTests {
    /// The value of cookie `name` set by a response.
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
        }
        return nil
    }

    static func setCookieLine(_ name: String, in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// The CSRF token in a rendered form.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return ByteBuffer(string: components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B"))
    }

    @Test("sign up, see the account page, sign out; cookies are HttpOnly and SameSite, the session changes at sign-in")
    func signUpInOut() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            // The form sets the browser's CSRF cookie and embeds its token.
            let page = try await client.execute(uri: "/signup", method: .get) { $0 }
            #expect(page.status == .ok)
            let browser = try #require(Self.cookie("pb_csrf", in: page))
            let token = try #require(Self.csrf(in: String(buffer: page.body)))
            #expect(Self.setCookieLine("pb_csrf", in: page)?.contains("HttpOnly") == true)

            let formHeaders: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded", .cookie: "pb_csrf=\(browser)",
            ]
            let signedUp = try await client.execute(
                uri: "/signup", method: .post, headers: formHeaders,
                body: Self.form([
                    "csrf": token, "name": "Ada <b>L</b>", "email": "ada@example.org", "password": "correct horse",
                ])
            ) { $0 }
            // Signing up mails a link and signs no one in.
            #expect(signedUp.status == .ok)
            #expect(String(buffer: signedUp.body).contains("We sent a link to ada@example.org"))
            #expect(Self.cookie("pb_session", in: signedUp) == nil)
            let proof = try #require(Self.cookie("pb_signup", in: signedUp))
            let links = TestSite.links("/signup/confirm?token=", to: "ada@example.org")
            var confirmed: TestResponse?
            for link in links {
                let response = try await client.execute(
                    uri: "/signup/confirm?token=" + link, method: .get,
                    headers: [.cookie: "pb_csrf=\(browser); pb_signup=\(proof)"]
                ) { $0 }
                if response.status == .found { confirmed = response }
            }
            let made = try #require(confirmed, "the link signs in the browser that signed up")
            #expect(made.headers[.location] == "/account")
            let session = try #require(Self.cookie("pb_session", in: made))
            let line = try #require(Self.setCookieLine("pb_session", in: made))
            #expect(line.contains("HttpOnly") && line.contains("SameSite=Lax"))
            #expect(!line.contains("Secure"), "plain http on loopback")

            let account = try await client.execute(
                uri: "/account", method: .get, headers: [.cookie: "pb_session=\(session); pb_csrf=\(browser)"]
            ) { $0 }
            let html = String(buffer: account.body)
            #expect(html.contains("Ada &lt;b&gt;L&lt;/b&gt;"), "the name comes back escaped")
            #expect(html.contains("ada@example.org"))

            // Signing in again gives a new session and ends the old one.
            let signedIn = try await client.execute(
                uri: "/signin", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: "pb_csrf=\(browser); pb_session=\(session)",
                ],
                body: Self.form(["csrf": token, "email": "ada@example.org", "password": "correct horse"])
            ) { $0 }
            let newSession = try #require(Self.cookie("pb_session", in: signedIn))
            #expect(newSession != session, "the session id changes at sign-in")
            let old = try await client.execute(
                uri: "/account", method: .get, headers: [.cookie: "pb_session=\(session)"]
            ) {
                $0
            }
            #expect(old.status == .found && old.headers[.location] == "/signin", "the old session is over")

            let signedOut = try await client.execute(
                uri: "/signout", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: "pb_csrf=\(browser); pb_session=\(newSession)",
                ],
                body: Self.form(["csrf": token])
            ) { $0 }
            #expect(signedOut.status == .found)
            let after = try await client.execute(
                uri: "/account", method: .get, headers: [.cookie: "pb_session=\(newSession)"]
            ) {
                $0
            }
            #expect(after.status == .found, "signed out")
        }
    }

    @Test("a form posted without its CSRF token, or with another browser's, is refused with 403")
    func csrf() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/signin", method: .get) { $0 }
            let browser = try #require(Self.cookie("pb_csrf", in: page))
            let token = try #require(Self.csrf(in: String(buffer: page.body)))
            let fields = ["email": "a@example.org", "password": "0123456789"]
            let missing = try await client.execute(
                uri: "/signin", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "pb_csrf=\(browser)"],
                body: Self.form(fields)
            ) { $0 }
            #expect(missing.status == .forbidden)
            #expect(String(buffer: missing.body).contains("reload the page"))
            let otherBrowser = try await client.execute(
                uri: "/signin", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "pb_csrf=someone-else"],
                body: Self.form(fields.merging(["csrf": token]) { $1 })
            ) { $0 }
            #expect(otherBrowser.status == .forbidden)
        }
    }

    @Test("a wrong password re-renders the form with 401; the sixth try in a minute gets 429")
    func wrongPasswordAndLimit() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/signin", method: .get) { $0 }
            let browser = try #require(Self.cookie("pb_csrf", in: page))
            let token = try #require(Self.csrf(in: String(buffer: page.body)))
            var statuses: [UInt16] = []
            for _ in 0..<6 {
                let response = try await client.execute(
                    uri: "/signin", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "pb_csrf=\(browser)"],
                    body: Self.form(["csrf": token, "email": "nobody@example.org", "password": "0123456789"])
                ) { $0 }
                statuses.append(UInt16(response.status.code))
                if statuses.count == 1 {
                    #expect(String(buffer: response.body).contains("wrong e-mail address or password"))
                }
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429])
        }
    }
}
