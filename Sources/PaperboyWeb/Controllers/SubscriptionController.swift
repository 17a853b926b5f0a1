import Foundation
import Hummingbird
import PaperboyModel
import PaperboyServices

/// The e-mail digest pages: the subscribe box's post, the confirmation link, the manage page and
/// unsubscribing (a page with a button, and RFC 8058's one-click POST from mail programs).
struct SubscriptionController<Context: RequestContext>: Sendable {
    let site: Site

    func addRoutes(to router: Router<Context>) {
        router.post("/subscribe", use: self.subscribe)
        router.get("/subscribe/confirm", use: self.confirmPage)
        router.post("/subscribe/confirm", use: self.confirm)
        router.get("/subscription", use: self.manage)
        router.post("/subscription", use: self.update)
        router.get("/unsubscribe", use: self.unsubscribePage)
        router.post("/unsubscribe", use: self.unsubscribe)
        router.post("/account/subscribe", use: self.memberSubscribe)
    }

    struct ManageView {
        var csrf = ""
        var token: String
        var email: String
        var statusLabel: String
        var daily: Bool
        var paperCount: Int
        var categories: String
        var authors: String
        var searches: String
        var active: Bool
        var saveLabel: String
        /// Whether the page offers to start again (through a new confirmation mail).
        var canResubscribe = false
        var notice: String?
        var error: String?

        init(_ subscription: Subscription, token: String, notice: String? = nil, error: String? = nil) {
            self.token = token
            self.email = subscription.email.rawValue
            self.statusLabel =
                switch subscription.status {
                case .pending: "waiting for you to confirm the address (see the mail we sent)"
                case .active: "subscribed, \(subscription.frequency.rawValue)"
                case .unsubscribed: "unsubscribed"
                case .bounced: "stopped: your mail server refused our mail (\(subscription.statusReason ?? ""))"
                }
            self.daily = subscription.frequency == .daily
            self.paperCount = subscription.paperCount
            self.categories = subscription.categories.joined(separator: ", ")
            self.authors = subscription.authors.joined(separator: "\n")
            self.searches = subscription.searches.joined(separator: "\n")
            self.active = subscription.status == .active
            self.saveLabel = "Save"
            self.canResubscribe = subscription.status == .unsubscribed || subscription.status == .bounced
            self.notice = notice
            self.error = error
        }
    }

    struct UnsubscribeView: PageWithForms {
        var csrf = ""
        var heading: String
        var message: String?
        var confirm: Bool
        var email: String
        var token: String
    }

    /// `POST /subscribe`: the box on every page.
    @Sendable func subscribe(_ request: Request, context: Context) async throws -> Response {
        let fields = try await Visitor.postedForm(request, site: self.site)
        let frequency = Subscription.Frequency(rawValue: fields["frequency"] ?? "daily") ?? .daily
        do {
            try await self.site.subscriptions.subscribe(
                email: fields["email"] ?? "", frequency: frequency, client: Self.client)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Subscribe", error: error.message), request: request,
                status: WebError.status(of: error))
        }
        return try await self.notice(
            NoticeView(
                heading: "Check your inbox",
                message:
                    "We sent a confirmation link to \(fields["email"]?.trimmingWhitespace() ?? "your address"). Follow it to start getting \(frequency.rawValue) digests; nothing is sent until you do."
            ), request: request)
    }

    /// `POST /account/subscribe`: a member subscribes their account's address, which they proved
    /// when the account was made (an unproven one is refused).
    @Sendable func memberSubscribe(_ request: Request, context: Context) async throws -> Response {
        let fields = try await Visitor.postedForm(request, site: self.site)
        let member = try await Visitor.of(request, site: self.site).requireMember()
        let frequency = Subscription.Frequency(rawValue: fields["frequency"] ?? "daily") ?? .daily
        do {
            try await self.site.subscriptions.subscribe(member: member, frequency: frequency)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Subscribe", error: error.message, linkURL: "/account", linkLabel: "Your account"),
                request: request, status: WebError.status(of: error))
        }
        return try await self.notice(
            NoticeView(
                heading: "You are subscribed",
                message: "\(member.email) will get \(frequency.rawValue) digests of trending papers.",
                linkURL: "/account", linkLabel: "Back to your account"), request: request)
    }

    /// `GET /subscribe/confirm?token=`: the link in the confirmation mail asks first, with a button:
    /// link checkers in mail programs follow links, and must not confirm anyone by doing so.
    @Sendable func confirmPage(_ request: Request, context: Context) async throws -> Response {
        let token = RequestValues.parameter(request, "token") ?? ""
        do {
            let subscription = try await self.site.subscriptions.confirmable(token: token)
            if subscription.status == .active { return try await self.subscribed(subscription, request: request) }
            return try await self.site.page(
                "subscribe_confirm",
                ConfirmView(
                    email: subscription.email.rawValue, frequency: subscription.frequency.rawValue, token: token),
                request: request)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Confirm your subscription", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    struct ConfirmView: PageWithForms {
        var csrf = ""
        var email: String
        var frequency: String
        var token: String
    }

    /// `POST /subscribe/confirm`: the button of the confirmation page.
    @Sendable func confirm(_ request: Request, context: Context) async throws -> Response {
        let fields = try await Visitor.postedForm(request, site: self.site)
        do {
            let subscription = try await self.site.subscriptions.confirm(token: fields["token"] ?? "")
            return try await self.subscribed(subscription, request: request)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Confirm your subscription", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    private func subscribed(_ subscription: Subscription, request: Request) async throws -> Response {
        try await self.notice(
            NoticeView(
                heading: "You are subscribed",
                message:
                    "\(subscription.email) will get \(subscription.frequency.rawValue) digests of trending papers. Every digest has a link to change what you get or to unsubscribe.",
                linkURL: "/subscription?token=" + self.site.subscriptions.manageToken(subscription.id),
                linkLabel: "Choose categories, authors and searches"), request: request)
    }

    /// `GET /subscription?token=`: the manage page.
    @Sendable func manage(_ request: Request, context: Context) async throws -> Response {
        let token = RequestValues.parameter(request, "token") ?? ""
        do {
            let subscription = try await self.site.subscriptions.subscription(manageToken: token)
            return try await self.managePage(ManageView(subscription, token: token), request: request)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Your e-mail digest", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    /// `POST /subscription`: saves the manage form.
    @Sendable func update(_ request: Request, context: Context) async throws -> Response {
        let fields = try await Visitor.postedForm(request, site: self.site)
        let token = fields["token"] ?? ""
        let preferences = SubscriptionService.Preferences(
            frequency: Subscription.Frequency(rawValue: fields["frequency"] ?? "") ?? .daily,
            categories: (fields["categories"] ?? "").split(separator: ",").map(String.init),
            authors: (fields["authors"] ?? "").split(whereSeparator: \.isNewline).map(String.init),
            searches: (fields["searches"] ?? "").split(whereSeparator: \.isNewline).map(String.init),
            paperCount: Int(fields["paperCount"] ?? "") ?? 0)
        do {
            var saved = try await self.site.subscriptions.update(manageToken: token, preferences: preferences)
            guard fields["resubscribe"] != nil, saved.status != .active else {
                return try await self.managePage(ManageView(saved, token: token, notice: "Saved."), request: request)
            }
            saved = try await self.site.subscriptions.resubscribe(manageToken: token)
            return try await self.managePage(
                ManageView(
                    saved, token: token,
                    notice: "Saved. We sent a confirmation link to \(saved.email): digests start once you follow it."),
                request: request)
        } catch let error as ServiceError where error.code == .invalidInput {
            let current = try await self.site.subscriptions.subscription(manageToken: token)
            var view = ManageView(current, token: token, error: error.message)
            view.categories = fields["categories"] ?? ""
            view.authors = fields["authors"] ?? ""
            view.searches = fields["searches"] ?? ""
            return try await self.managePage(view, request: request, status: .badRequest)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Your e-mail digest", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    /// `GET /unsubscribe?token=`: asks first, so that link checkers in mail programs cannot
    /// unsubscribe anyone by following the link.
    @Sendable func unsubscribePage(_ request: Request, context: Context) async throws -> Response {
        let token = RequestValues.parameter(request, "token") ?? ""
        do {
            let subscription = try await self.site.subscriptions.subscription(manageToken: token)
            let done = subscription.status == .unsubscribed
            return try await self.site.page(
                "unsubscribe",
                UnsubscribeView(
                    heading: done ? "You are unsubscribed" : "Unsubscribe",
                    message: done ? "\(subscription.email) gets no more digests." : nil, confirm: !done,
                    email: subscription.email.rawValue, token: token),
                request: request)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Unsubscribe", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    /// `POST /unsubscribe`: the page's button (with its CSRF token), or a mail program's
    /// one-click request (RFC 8058: `List-Unsubscribe=One-Click` posted to the header's URL).
    @Sendable func unsubscribe(_ request: Request, context: Context) async throws -> Response {
        let body = String(buffer: try await RequestValues.body(request))
        let form = (try? URLEncodedFormDecoder().decode([String: String].self, from: body)) ?? [:]
        if form["List-Unsubscribe"] == "One-Click", let token = RequestValues.parameter(request, "token") {
            // The signed token is the authority; mail programs send no cookies.
            do {
                let subscription = try await self.site.subscriptions.unsubscribe(manageToken: token)
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "\(subscription.email) is unsubscribed.\n")))
            } catch let error as ServiceError {
                throw WebError(WebError.status(of: error), code: error.code.description, error.message)
            }
        }
        try Visitor.checkCSRF(form["csrf"], request: request, site: self.site)
        let token = form["token"] ?? RequestValues.parameter(request, "token") ?? ""
        do {
            let subscription = try await self.site.subscriptions.unsubscribe(manageToken: token)
            return try await self.site.page(
                "unsubscribe",
                UnsubscribeView(
                    heading: "You are unsubscribed", message: "\(subscription.email) gets no more digests.",
                    confirm: false, email: subscription.email.rawValue, token: token),
                request: request)
        } catch let error as ServiceError {
            return try await self.notice(
                NoticeView(heading: "Unsubscribe", error: error.message), request: request,
                status: WebError.status(of: error))
        }
    }

    private func notice(
        _ view: NoticeView, request: Request, status: HTTPResponse.Status = .ok
    ) async throws
        -> Response
    {
        try await self.site.page("notice", view, request: request, status: status)
    }

    private func managePage(
        _ view: ManageView, request: Request, status: HTTPResponse.Status = .ok
    ) async throws
        -> Response
    {
        let visitor = try await Visitor.of(request, site: self.site)
        var view = view
        view.csrf = visitor.csrf
        var response = Response.html(
            try self.site.render("subscription", view, csrf: visitor.csrf), status: status)
        visitor.apply(to: &response, request: request)
        return response
    }

    /// The client for rate limits (see ``ClientIdentity``).
    static var client: String { ClientIdentity.current.key }
}
