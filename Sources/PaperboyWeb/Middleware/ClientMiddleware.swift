import Hummingbird

/// Decides once per request who is asking (``ClientIdentity``) and makes it current for the
/// middleware and handlers below.
struct ClientMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let site: Site

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let client = ClientIdentity.of(request, peer: context.remoteAddress, trustedProxies: self.site.trustedProxies)
        return try await ClientIdentity.$current.withValue(client) { try await next(request, context) }
    }
}
