import Hummingbird

/// 405 with an `Allow` header for the methods a known path does not serve (rather than the
/// router's 404, which would say the path does not exist).
enum MethodNotAllowed {
    static let candidates: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .trace]

    static func register(on group: RouterGroup<UsersAPIRequestContext>, path: RouterPath, allowed: [HTTPRequest.Method]) {
        var headers = HTTPFields()
        headers[.allow] = (allowed + (allowed.contains(.get) ? [.head] : [])).map(\.rawValue).joined(separator: ", ")
        let refusal = APIError(.methodNotAllowed, "method not allowed here; allowed: \(headers[.allow] ?? "")", headers: headers)
        for method in candidates where !allowed.contains(method) {
            group.on(path, method: method) { @Sendable _, _ -> Response in throw refusal }
        }
    }

    static func register(on router: Router<UsersAPIRequestContext>, path: RouterPath, allowed: [HTTPRequest.Method]) {
        register(on: router.group(path), path: "", allowed: allowed)
    }
}
