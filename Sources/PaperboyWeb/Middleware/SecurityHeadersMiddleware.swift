import Hummingbird

/// Headers every response carries: no content-type sniffing, no framing by other sites (also in
/// the policy), and a content security policy the pages pass: nothing but this site's own
/// stylesheet, images and forms; no scripts at all. Pages are not to be stored by caches.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        // Every page carries its visitor's form token, some a secret shown once (an API token, a
        // manage link): none may be kept by a cache.
        if response.headers[.cacheControl] == nil, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
