import Hummingbird
import Logging
import NIOHTTP1
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// Turns every error a handler throws into a response: JSON `{"error": {"code", "message"}}`
/// under `/api/`, an HTML page elsewhere. Server-side failures are logged and not described to
/// the client.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let site: Site

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError
            where error.status == .notFound && request.uri.path.hasPrefix("/api/")
            && self.site.apiRoutes.methods(for: request.uri.path) != nil
        {
            // A known API path asked with a method it does not take.
            let allowed = self.site.apiRoutes.methods(for: request.uri.path)!
            var response = try JSONResponse.encode(
                APIErrorBody(
                    error: .init(
                        code: "method_not_allowed",
                        message:
                            "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: " or "))"
                    )),
                status: .methodNotAllowed)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch {
            let failure = self.describe(error, context: context, request: request)
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/health" {
                var response = try JSONResponse.encode(
                    APIErrorBody(error: .init(code: failure.code, message: failure.message)),
                    status: failure.status
                )
                if failure.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
                return response
            }
            if failure.code == "sign_in" { return Response.redirect(to: "/signin", type: .found) }
            let view = ErrorPageView(
                status: Int(failure.status.code), reason: failure.status.reasonPhrase, message: failure.message)
            let html = (try? self.site.render("error", view)) ?? HTML.escape(failure.message)
            return Response.html(html, status: failure.status)
        }
    }

    private func describe(_ error: any Error, context: Context, request: Request) -> WebError {
        switch error {
        case let error as WebError:
            return error
        case let error as ServiceError where error.code == .indexUnavailable:
            // The index, not the query: the server's problem, for the log; the client may retry.
            context.logger.error("search index failed: \(request.method) \(request.uri.path): \(error)")
            return WebError(
                .serviceUnavailable, code: "index_unavailable",
                "Search is unavailable just now; it has been logged. Try again in a minute.")
        case let error as ModelError:
            return WebError.badRequest(code: error.code.description, error.message)
        case let error as ServiceError:
            error.log(to: context.logger)
            return WebError(WebError.status(of: error), code: error.code.description, error.message)
        case let error as HTTPParserError:
            // A body the HTTP parser could not read (a broken chunk, the client gone mid-body).
            if error == .invalidEOFState {
                context.logger.debug("request ended early: \(request.method) \(request.uri.path)")
            }
            return WebError.badRequest(code: "invalid_body", "the request body could not be read: \(error)")
        case let error as HTTPError where error.status == .notFound:
            return WebError.notFound("Nothing is here: \(request.uri.path)")
        case let error as HTTPError:
            return WebError(error.status, code: "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error("request failed: \(request.method) \(request.uri.path): \(error)")
            return WebError(
                .internalServerError, code: "internal", "Something went wrong on the server; it has been logged.")
        }
    }
}
