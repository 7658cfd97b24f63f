import Hummingbird
import NIOCore
import Logging

/// Turns every error below it into `{"error": "…"}` with `Content-Type: application/json`:
/// routing misses (404), the API's own errors, Hummingbird's `HTTPError`s, and anything
/// unexpected (500, logged, with a message that reveals nothing). It is the outermost
/// middleware, so no route can answer an error in another shape.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `Flaws.plainTextErrors`: the same status with a text/plain sentence.
    let plainText: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.apiError(for: error, request: request, logger: context.logger)
            if plainText {
                return JSONBody.response(bytes: Array((problem.message + "\n").utf8), status: problem.status,
                                         headers: problem.headers, contentType: "text/plain; charset=utf-8")
            }
            let body = (try? JSONBody.encoder.encode(["error": problem.message])).map(Array.init) ?? Array(#"{"error":"error"}"#.utf8)
            return JSONBody.response(bytes: body, status: problem.status, headers: problem.headers)
        }
    }

    static func apiError(for error: any Error, request: Request, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case UserStoreError.notFound:
            return APIError(.notFound, "no such user")
        case UserStoreError.duplicateEmail:
            return APIError(.conflict, "a user with this email already exists")
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "the body is too large")
        case let error as HTTPError where error.status == .notFound && error.body == nil:
            // The router's miss: a known path with another method is 405.
            return MethodNotAllowed.refusal(for: request) ?? APIError(.notFound, "no route for \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        default:
            logger.error("internal error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return APIError(.internalServerError, "internal server error")
        }
    }
}
