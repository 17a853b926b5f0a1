import Hummingbird

/// Counts every answer and its latency in ``SiteMetrics``, by the route's pattern (`/papers/**`,
/// `unmatched` for no route), method and status. Sits outside the error middleware, so failures
/// are counted with the status they were answered with.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: SiteMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.metrics.request(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            self.metrics.request(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
