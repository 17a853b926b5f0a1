import Hummingbird
import PaperboyModel
import PaperboySecurity
import PaperboyServices

/// Who is asking: the signed-in member if any, and the browser's CSRF key, from the request's
/// cookies. Pages with forms embed ``csrf``; handlers of posts call ``checkCSRF(_:)``.
struct Visitor {
    static let sessionCookie = "pb_session"
    static let csrfCookie = "pb_csrf"

    /// The signed-in member.
    var member: Member?
    /// The browser's random key (from its cookie, or new).
    var browserKey: String
    /// Whether the key is new, so the response must set its cookie.
    var isNewBrowser: Bool
    /// The token forms carry: an HMAC of the browser key under the site's key.
    var csrf: String

    /// Reads the cookies of `request`.
    static func of(_ request: Request, site: Site) async throws -> Visitor {
        let member: Member?
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            member = try await site.accounts.member(sessionToken: token)
        } else {
            member = nil
        }
        let existing = request.cookies[Self.csrfCookie]?.value
        let key = existing.flatMap { $0.isEmpty ? nil : $0 } ?? SecureToken.random()
        return Visitor(
            member: member, browserKey: key, isNewBrowser: existing?.isEmpty ?? true,
            csrf: Self.token(for: key, site: site))
    }

    /// Whether a posted token is this browser's.
    static func checkCSRF(_ given: String?, request: Request, site: Site) throws {
        guard let browser = request.cookies[Self.csrfCookie]?.value, let given, let bytes = Base64URL.decode(given),
            HMAC.equal(bytes, HMAC.code(Array("csrf:\(browser)".utf8), key: site.secret))
        else {
            throw WebError(
                .forbidden, code: "csrf",
                "the form has expired or did not come from this site; reload the page and try again")
        }
    }

    /// The fields of a posted form, after checking its CSRF token against the browser's cookie.
    static func postedForm(_ request: Request, site: Site) async throws -> [String: String] {
        let body = try await RequestValues.body(request)
        let fields: [String: String]
        do {
            fields = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        } catch {
            throw WebError.badRequest(code: "invalid_form", "the form could not be read")
        }
        try Self.checkCSRF(fields["csrf"], request: request, site: site)
        return fields
    }

    /// The signed-in member, or a redirect to the sign-in page.
    func requireMember() throws -> Member {
        guard let member else { throw WebError(.unauthorized, code: "sign_in", "sign in first") }
        return member
    }

    /// Sets the browser-key cookie on `response` when it is new.
    func apply(to response: inout Response, request: Request) {
        if self.isNewBrowser {
            response.setCookie(Self.cookie(Self.csrfCookie, self.browserKey, request: request, maxAge: nil))
        }
    }

    static func token(for browser: String, site: Site) -> String {
        Base64URL.encode(HMAC.code(Array("csrf:\(browser)".utf8), key: site.secret))
    }

    /// An HttpOnly, SameSite=Lax cookie for the whole site, Secure behind https (as a trusted
    /// proxy says).
    static func cookie(_ name: String, _ value: String, request: Request, maxAge: Int?) -> Cookie {
        let secure = ClientIdentity.current.isHTTPS || request.uri.scheme == .https
        return Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
