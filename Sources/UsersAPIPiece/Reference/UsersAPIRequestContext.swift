import Hummingbird

/// The request context of the reference server: Hummingbird's core storage plus the user id
/// that `BearerTokenMiddleware` read from a valid token.
public struct UsersAPIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set on the profile routes only, by `BearerTokenMiddleware`.
    public var tokenSubject: Int?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        tokenSubject = nil
    }
}
