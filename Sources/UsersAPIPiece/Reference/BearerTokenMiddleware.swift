import Foundation
import Hummingbird

/// Lets a request through only with `Authorization: Bearer <HS256 token>` that
/// `HS256Token.verify` accepts, and records the token's user id in the context. Anything
/// else is 401 with `WWW-Authenticate: Bearer` and a JSON error that says what was wrong.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = UsersAPIRequestContext

    let secret: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authorization = request.headers[.authorization] else {
            throw Self.unauthorized("missing Authorization header (expected: Bearer <token>)")
        }
        let scheme = authorization.prefix(7)
        guard scheme.lowercased() == "bearer " else {
            throw Self.unauthorized("the Authorization header must use the Bearer scheme")
        }
        let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
        do {
            var context = context
            context.tokenSubject = try HS256Token.verify(token, secret: secret)
            return try await next(request, context)
        } catch let rejection as HS256Token.Rejection {
            throw Self.unauthorized(rejection.description)
        }
    }

    static func unauthorized(_ message: String) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Bearer realm="users-api""#
        return APIError(.unauthorized, message, headers: headers)
    }
}
