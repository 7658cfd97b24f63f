import Hummingbird

/// `/api/v1/profile`, behind `BearerTokenMiddleware`: the profile is the user whose id is
/// the token's `sub`. `GET` returns that user; `PUT` replaces its name and email with the
/// same rules and errors as `PUT /api/v1/users/{id}`. A valid token for a user that does not
/// exist (deleted since) is 404.
struct ProfileRoutes {
    let store: any UserStore
    let bodyLimit: Int

    func register(on group: RouterGroup<UsersAPIRequestContext>) {
        group.get(use: show)
        group.put(use: update)
    }

    @Sendable func show(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        guard let user = try await store.user(id: try Self.subject(context)) else {
            throw APIError(.notFound, "the token's user does not exist")
        }
        return try JSONBody.response(user)
    }

    @Sendable func update(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        let id = try Self.subject(context)
        let input = try UserInput.parse(try await JSONBody.read(request, limit: bodyLimit))
        do {
            return try JSONBody.response(try await store.update(id: id, with: input))
        } catch UserStoreError.notFound {
            throw APIError(.notFound, "the token's user does not exist")
        }
    }

    private static func subject(_ context: UsersAPIRequestContext) throws(APIError) -> Int {
        guard let id = context.tokenSubject else { throw BearerTokenMiddleware.unauthorized("no valid token") }
        return id
    }
}
