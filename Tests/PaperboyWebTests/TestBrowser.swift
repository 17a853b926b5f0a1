import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyMail
import PaperboyTesting
import PaperboyWeb

/// A browser for router tests: keeps the CSRF cookie and token and, once signed up, the session.
struct TestBrowser {
    let client: any TestClientProtocol
    var csrfCookie: String
    var token: String
    var session: String?

    /// Opens the sign-up page to get a CSRF cookie and token.
    static func open(_ client: any TestClientProtocol) async throws -> TestBrowser {
        let page = try await client.execute(uri: "/signup", method: .get) { $0 }
        guard let cookie = AccountPageTests.cookie("pb_csrf", in: page),
            let token = AccountPageTests.csrf(in: String(buffer: page.body))
        else { throw TestBrowserError("the sign-up page set no CSRF cookie or token") }
        return TestBrowser(client: client, csrfCookie: cookie, token: token)
    }

    /// Opens a browser and signs up a new member in it: posts the form, then follows the mailed
    /// link in the same browser.
    static func member(
        _ client: any TestClientProtocol, name: String, email: String,
        mailbox: RecordingMailTransport = TestSite.mailbox
    ) async throws -> TestBrowser {
        var browser = try await Self.open(client)
        let response = try await browser.post(
            "/signup", ["name": name, "email": email, "password": "a long password"])
        guard response.status == .ok, let proof = AccountPageTests.cookie("pb_signup", in: response) else {
            throw TestBrowserError("sign-up of \(email) failed: \(response.status) \(String(buffer: response.body))")
        }
        browser.extraCookies = "pb_signup=\(proof)"
        // The mailbox is shared by every test site: the link of this site is the one that works.
        for token in TestSite.links("/signup/confirm?token=", to: email, in: mailbox) {
            let confirmed = try await browser.get("/signup/confirm?token=" + token)
            if let session = AccountPageTests.cookie("pb_session", in: confirmed) {
                browser.session = session
                browser.extraCookies = nil
                return browser
            }
        }
        throw TestBrowserError(
            "no working sign-up link was mailed to \(email): \(String(buffer: response.body).suffix(800))")
    }

    /// More cookies to send (`name=value; …`).
    var extraCookies: String?

    var headers: HTTPFields {
        var cookie = "pb_csrf=\(self.csrfCookie)"
        if let session { cookie += "; pb_session=\(session)" }
        if let extraCookies { cookie += "; " + extraCookies }
        return [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await self.client.execute(uri: uri, method: .get, headers: self.headers) { $0 }
    }

    /// Posts a form with this browser's CSRF token (unless `csrf` is false).
    func post(_ uri: String, _ fields: [String: String] = [:], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf { fields["csrf"] = self.token }
        return try await self.client.execute(
            uri: uri, method: .post, headers: self.headers, body: AccountPageTests.form(fields)
        ) { $0 }
    }

    /// Makes an API token on the account page and returns it.
    func apiToken(name: String = "tests") async throws -> String {
        let page = try await self.post("/account/tokens", ["name": name])
        let html = String(buffer: page.body)
        guard let range = html.range(of: "<code class=\"token\">") else {
            throw TestBrowserError("no token on the account page: \(html.prefix(300))")
        }
        return String(html[range.upperBound...].prefix { $0 != "<" })
    }
}

/// A JSON request for API tests.
func apiRequest(
    _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String? = nil,
    json: String? = nil
) async throws -> (status: HTTPResponse.Status, body: Any?) {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let token { headers[.authorization] = "Bearer \(token)" }
    let response = try await client.execute(
        uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }
    ) { $0 }
    let data = Data(response.body.readableBytesView)
    return (response.status, data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data))
}

struct TestBrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
