import Foundation
import Hummingbird
import Logging
import PaperboyModel
import PaperboySecurity
import PaperboyServices
import PaperboyStore

/// Sign-up, sign-in, sign-out and the account page.
///
/// Sessions ride in an HttpOnly, SameSite=Lax cookie (Secure behind https). Every form carries a
/// CSRF token: an HMAC of a per-browser random cookie under the site's key, checked on post.
struct AccountController<Context: RequestContext>: Sendable {
    let site: Site

    static var sessionCookie: String { Visitor.sessionCookie }
    /// The cookie of the browser that signed up, so that the mailed link finishes there at once.
    static var signUpCookie: String { "pb_signup" }

    func addRoutes(to router: Router<Context>) {
        router.get("/signup") { request, _ in try await self.form("signup", request: request) }
        router.get("/signin") { request, _ in try await self.form("signin", request: request) }
        router.post("/signup", use: self.signUp)
        router.post("/signin", use: self.signIn)
        router.post("/signout", use: self.signOut)
        router.get("/account", use: self.account)
        router.post("/account/tokens", use: self.createToken)
        router.post("/account/tokens/{id}/delete", use: self.revokeToken)
        router.get("/signup/confirm", use: self.confirmSignUp)
        router.post("/signup/confirm", use: self.confirmSignUp)
        router.post("/account/verify", use: self.requestAddressProof)
        router.get("/account/verify", use: self.proveAddress)
        router.get("/reset") { request, _ in try await self.form("reset", request: request) }
        router.post("/reset", use: self.requestReset)
        router.get("/reset/{token}", use: self.resetForm)
        router.post("/reset/{token}", use: self.reset)
    }

    struct FormView {
        var csrf: String
        var email: String?
        var name: String?
        var error: String?
        var notice: String?
        var token: String?
        var query: String?
    }

    private struct Fields: Decodable {
        var email: String?
        var name: String?
        var password: String?
        var csrf: String?
        var token: String?
    }

    /// A sign-in or sign-up form, with a CSRF token (and its cookie when the browser has none).
    private func form(
        _ template: String, request: Request, fields: FormView? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self.site)
        var view = fields ?? FormView(csrf: "")
        view.csrf = visitor.csrf
        var response = Response.html(try self.site.render(template, view, csrf: visitor.csrf), status: status)
        visitor.apply(to: &response, request: request)
        return response
    }

    /// `POST /signup`: mails the link that makes the account. The page says the same whether or
    /// not the address has an account already.
    @Sendable func signUp(_ request: Request, context: Context) async throws -> Response {
        let fields = try await self.checkedFields(request, context: context)
        let receipt: AccountService.SignUpReceipt
        do {
            receipt = try await self.site.accounts.signUp(
                email: fields.email ?? "", displayName: fields.name ?? "", password: fields.password ?? "",
                client: ClientIdentity.current.key)
        } catch let error as ServiceError {
            error.log(to: context.logger)
            return try await self.form(
                "signup", request: request,
                fields: FormView(csrf: "", email: fields.email, name: fields.name, error: error.message),
                status: WebError.status(of: error))
        }
        var response = try await self.site.page(
            "notice",
            NoticeView(
                heading: "Check your inbox",
                message:
                    "We sent a link to \(receipt.address). Follow it to finish making your account; it works for 48 hours. Nothing else is mailed to the address until then."
            ), request: request)
        response.setCookie(
            Visitor.cookie(
                Self.signUpCookie, receipt.browserProof, request: request,
                maxAge: Int(self.site.accounts.linkLifetime)))
        return response
    }

    /// `GET /signup/confirm?token=` (the mailed link) and `POST /signup/confirm` (its password
    /// form, in another browser than the one that signed up).
    @Sendable func confirmSignUp(_ request: Request, context: Context) async throws -> Response {
        var token = RequestValues.parameter(request, "token") ?? ""
        var password: String?
        if request.method == .post {
            let fields = try await self.checkedFields(request, context: context)
            token = fields.token ?? token
            password = fields.password
        }
        do {
            let made = try await self.site.accounts.confirmSignUp(
                token: token, browserProof: request.cookies[Self.signUpCookie]?.value, password: password)
            var response = self.signedIn(request, token: made.token)
            response.setCookie(Visitor.cookie(Self.signUpCookie, "", request: request, maxAge: 0))
            return response
        } catch let error as ServiceError where error.code == .unauthorized && error.field == "password" {
            var view = FormView(csrf: "", error: password == nil ? nil : error.message)
            view.token = token
            return try await self.form(
                "signup_confirm", request: request, fields: view, status: password == nil ? .ok : .unauthorized)
        } catch let error as ServiceError {
            return try await self.site.page(
                "notice",
                NoticeView(
                    heading: "Finish making your account", error: error.message, linkURL: "/signup",
                    linkLabel: "Sign up again"),
                request: request, status: WebError.status(of: error))
        }
    }

    @Sendable func signIn(_ request: Request, context: Context) async throws -> Response {
        let fields = try await self.checkedFields(request, context: context)
        do {
            let session = try await self.site.accounts.signIn(
                email: fields.email ?? "", password: fields.password ?? "", client: ClientIdentity.current.key)
            // The old session, if any, ends: a session id never survives a sign-in.
            if let old = request.cookies[Self.sessionCookie]?.value {
                try await self.site.accounts.signOut(sessionToken: old)
            }
            return self.signedIn(request, token: session.token)
        } catch let error as ServiceError {
            return try await self.form(
                "signin", request: request, fields: FormView(csrf: "", email: fields.email, error: error.message),
                status: WebError.status(of: error))
        }
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        _ = try await self.checkedFields(request, context: context)
        if let token = request.cookies[Self.sessionCookie]?.value {
            try await self.site.accounts.signOut(sessionToken: token)
        }
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(Visitor.cookie(Self.sessionCookie, "", request: request, maxAge: 0))
        return response
    }

    @Sendable func account(_ request: Request, context: Context) async throws -> Response {
        try await self.accountPage(request, newToken: nil)
    }

    private func accountPage(
        _ request: Request, newToken: String?, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self.site)
        guard let member = visitor.member else { return Response.redirect(to: "/signin", type: .found) }
        let tokens = try await self.site.accounts.apiTokens(of: member).map {
            TokenView(id: $0.id, name: $0.name, created: String(Timestamp.iso8601($0.created).prefix(10)))
        }
        var view = AccountView(
            name: member.displayName, email: member.email.rawValue, role: member.role.rawValue,
            since: String(Timestamp.iso8601(member.created).prefix(10)), csrf: visitor.csrf, tokens: tokens,
            hasTokens: !tokens.isEmpty, newToken: newToken, error: error, notice: notice,
            unverified: member.emailVerified == nil)
        if let subscription = try await self.site.subscriptions.subscription(of: member) {
            view.digestStatus =
                switch subscription.status {
                case .active: "You get \(subscription.frequency.rawValue) digests."
                case .pending: "Waiting for you to follow the link in the confirmation mail."
                case .unsubscribed: "You unsubscribed."
                case .bounced: "Stopped: your mail server refused our mail."
                }
            view.digestManageURL = "/subscription?token=" + self.site.subscriptions.manageToken(subscription.id)
        }
        var response = Response.html(try self.site.render("account", view, csrf: visitor.csrf), status: status)
        visitor.apply(to: &response, request: request)
        return response
    }

    /// `POST /account/verify`: mails the signed-in member a link that proves their address.
    @Sendable func requestAddressProof(_ request: Request, context: Context) async throws -> Response {
        _ = try await self.checkedFields(request, context: context)
        let member = try await Visitor.of(request, site: self.site).requireMember()
        do {
            try await self.site.accounts.requestAddressProof(for: member)
        } catch let error as ServiceError {
            error.log(to: context.logger)
            return try await self.accountPage(
                request, newToken: nil, error: error.message, status: WebError.status(of: error))
        }
        return try await self.accountPage(
            request, newToken: nil,
            notice: "We sent a link to \(member.email). Follow it while signed in here to confirm the address.")
    }

    /// `GET /account/verify?token=`: the mailed link, followed while signed in.
    @Sendable func proveAddress(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await Visitor.of(request, site: self.site)
        guard let member = visitor.member else {
            return try await self.form(
                "signin", request: request,
                fields: FormView(csrf: "", notice: "Sign in first, then follow the link in the mail again."))
        }
        do {
            try await self.site.accounts.proveAddress(
                token: RequestValues.parameter(request, "token") ?? "", member: member)
        } catch let error as ServiceError {
            return try await self.accountPage(
                request, newToken: nil, error: error.message, status: WebError.status(of: error))
        }
        return try await self.accountPage(
            request, newToken: nil, notice: "\(member.email) is confirmed as yours: digests can go to it now.")
    }

    struct AccountView {
        var name: String
        var email: String
        var role: String
        var since: String
        var csrf: String
        var tokens: [TokenView]
        var hasTokens: Bool
        /// A token just made: shown once.
        var newToken: String?
        var error: String?
        var notice: String?
        /// Whether the member's address is not proven (so nothing mail-related is offered).
        var unverified: Bool
        var query: String?
        /// The member's digest subscription: its state and manage link, if any.
        var digestStatus: String?
        var digestManageURL: String?
    }

    struct TokenView {
        var id: Int64
        var name: String
        var created: String
    }

    /// `POST /account/tokens`: makes an API token and shows it once.
    @Sendable func createToken(_ request: Request, context: Context) async throws -> Response {
        let fields = try await self.checkedFields(request, context: context)
        let member = try await Visitor.of(request, site: self.site).requireMember()
        do {
            let made = try await self.site.accounts.createAPIToken(for: member, name: fields.name ?? "")
            return try await self.accountPage(request, newToken: made.token)
        } catch let error as ServiceError {
            return try await self.accountPage(request, newToken: nil, error: error.message)
        }
    }

    /// `POST /account/tokens/{id}/delete`: revokes one of the member's tokens.
    @Sendable func revokeToken(_ request: Request, context: Context) async throws -> Response {
        _ = try await self.checkedFields(request, context: context)
        let member = try await Visitor.of(request, site: self.site).requireMember()
        guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound("No such token.") }
        try await self.site.accounts.revokeAPIToken(id, of: member)
        return Response.redirect(to: "/account", type: .found)
    }

    // MARK: Password reset

    /// `POST /reset`: mails a signed reset link to the address (to the server's log when no SMTP
    /// server is set); the page says the same whether the address is known or not.
    @Sendable func requestReset(_ request: Request, context: Context) async throws -> Response {
        let fields = try await self.checkedFields(request, context: context)
        do {
            try await self.site.accounts.requestPasswordReset(
                email: fields.email ?? "", client: ClientIdentity.current.key)
        } catch let error as ServiceError {
            error.log(to: context.logger)
            return try await self.form(
                "reset", request: request, fields: FormView(csrf: "", email: fields.email, error: error.message),
                status: WebError.status(of: error))
        }
        return try await self.form(
            "reset", request: request,
            fields: FormView(
                csrf: "", email: fields.email,
                notice:
                    "If an account uses that address, a link to set a new password is on its way. It works for an hour."
            ))
    }

    @Sendable func resetForm(_ request: Request, context: Context) async throws -> Response {
        var view = FormView(csrf: "")
        let token = try context.parameters.require("token")
        do {
            _ = try await self.site.accounts.resetMember(token: token)
        } catch let error as ServiceError {
            return try await self.form(
                "reset", request: request, fields: FormView(csrf: "", error: error.message),
                status: WebError.status(of: error))
        }
        view.token = token
        return try await self.form("reset_password", request: request, fields: view)
    }

    @Sendable func reset(_ request: Request, context: Context) async throws -> Response {
        let fields = try await self.checkedFields(request, context: context)
        let token = try context.parameters.require("token")
        do {
            try await self.site.accounts.resetPassword(token: token, newPassword: fields.password ?? "")
        } catch let error as ServiceError {
            var view = FormView(csrf: "", error: error.message)
            view.token = token
            return try await self.form(
                "reset_password", request: request, fields: view, status: WebError.status(of: error))
        }
        return try await self.form(
            "signin", request: request, fields: FormView(csrf: "", notice: "Your new password is set; sign in with it.")
        )
    }

    // MARK: Helpers

    private func signedIn(_ request: Request, token: String) -> Response {
        var response = Response.redirect(to: "/account", type: .found)
        response.setCookie(
            Visitor.cookie(
                Self.sessionCookie, token, request: request, maxAge: Int(self.site.accounts.sessionLifetime)))
        return response
    }

    /// The form's fields, after checking its CSRF token against the browser's cookie.
    private func checkedFields(_ request: Request, context: Context) async throws -> Fields {
        let body = try await RequestValues.body(request)
        let fields: Fields
        do {
            fields = try URLEncodedFormDecoder().decode(Fields.self, from: String(buffer: body))
        } catch {
            throw WebError.badRequest(code: "invalid_form", "the form could not be read")
        }
        try Visitor.checkCSRF(fields.csrf, request: request, site: self.site)
        return fields
    }
}
