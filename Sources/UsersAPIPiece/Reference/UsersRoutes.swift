import Hummingbird

/// `/api/v1/users` and `/api/v1/users/{id}`: the CRUD half of the contract.
struct UsersRoutes {
    let store: any UserStore
    let flaws: Flaws
    let bodyLimit: Int

    func register(on group: RouterGroup<UsersAPIRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.put(":id", use: update)
        group.delete(":id", use: remove)
    }

    @Sendable func list(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        var users = try await store.list()
        if flaws.contains(.unsortedList) { users.reverse() }
        return JSONBody.response(bytes: UserJSON.bytes(list: users), status: .ok)
    }

    @Sendable func create(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: bodyLimit)
        let input = try UserInput.parse(body)
        try refuseByFlaw(input, body: body)
        let user = try await store.create(input)
        var response = JSONBody.response(bytes: UserJSON.bytes(user), status: flaws.contains(.createdAs200) ? .ok : .created)
        response.headers[.location] = "/api/v1/users/\(user.id)"
        return response
    }

    @Sendable func show(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let user = try await store.user(id: id) else { throw UserStoreError.notFound }
        return JSONBody.response(bytes: UserJSON.bytes(user), status: .ok)
    }

    @Sendable func update(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        // The id is checked before the body, so `PUT /users/abc` is 400 whatever it carries.
        let id = try Self.id(context)
        let input = try UserInput.parse(try await JSONBody.read(request, limit: bodyLimit))
        return JSONBody.response(bytes: UserJSON.bytes(try await store.update(id: id, with: input)), status: .ok)
    }

    @Sendable func remove(_ request: Request, context: UsersAPIRequestContext) async throws -> Response {
        guard try await store.delete(id: try Self.id(context)) else { throw UserStoreError.notFound }
        return Response(status: .noContent)
    }

    /// The flaws that make a create refuse input the contract accepts (none by default).
    private func refuseByFlaw(_ input: UserInput, body: [UInt8]) throws(APIError) {
        if flaws.contains(.strictFields), let object = try? JSONBody.object(body), !Set(object.keys).isSubset(of: ["name", "email"]) {
            throw APIError(.badRequest, "unknown fields in the body")
        }
        if flaws.contains(.nameLengthInBytes), input.name.utf8.count > UserInput.maximumNameLength {
            throw APIError(.badRequest, "name must be at most \(UserInput.maximumNameLength) characters")
        }
        if flaws.contains(.plusEmailRefused), input.email.contains("+") {
            throw APIError(.badRequest, "email must be an address like name@example.com")
        }
    }

    /// The `{id}` path segment: ASCII digits that fit an Int, else 400. `0` is a number
    /// that names no user (404); `-1`, `1.5`, `abc` and `１` (fullwidth) are not ids (400).
    static func id(_ context: UsersAPIRequestContext) throws(APIError) -> Int {
        let text = context.parameters.get("id") ?? ""
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let id = Int(text) else {
            throw APIError(.badRequest, "the user id must be a positive integer (got \"\(text)\")")
        }
        return id
    }
}
