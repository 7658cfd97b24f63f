import Hummingbird

/// 405 with an `Allow` header for a method that a known path does not serve (the router
/// alone answers 404, as if the path did not exist). `JSONErrorMiddleware` asks here when
/// the router finds no route, so any method, even one no table lists (`QUERY`), gets it.
///
/// The table mirrors the routes `UsersAPIServer.makeRouter` registers: a route added there
/// is added here.
enum MethodNotAllowed {
    static let routes: [(path: [Substring], allowed: [HTTPRequest.Method])] = [
        (["healthz"], [.get, .head]),
        (["api", "v1", "users"], [.get, .head, .post]),
        (["api", "v1", "users", "*"], [.get, .head, .put, .delete]),
        (["api", "v1", "profile"], [.get, .head, .put]),
    ]

    /// The 405 for `request`, or nil when its path is not one of the API's.
    static func refusal(for request: Request) -> APIError? {
        let segments = request.uri.path.split(separator: "/")
        guard let route = routes.first(where: { route in
            route.path.count == segments.count && zip(route.path, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }), !route.allowed.contains(request.method) else { return nil }
        let allow = route.allowed.map(\.rawValue).joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = allow
        return APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); allowed: \(allow)", headers: headers)
    }
}
