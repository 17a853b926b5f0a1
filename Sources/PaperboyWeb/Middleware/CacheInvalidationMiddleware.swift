import Hummingbird

/// Empties the micro-caches (the API's lists, anonymous list pages) after every request that may
/// have written something (any method but GET and HEAD), so that no cached list shows a count
/// from before a member's own change.
struct CacheInvalidationMiddleware<Context: RequestContext>: RouterMiddleware {
    let caches: [ResponseCache]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get && request.method != .head else { return try await next(request, context) }
        defer { for cache in self.caches { cache.invalidate() } }
        return try await next(request, context)
    }
}
