import Grading

/// Stage `get`: the server answers gRPC on $PORT, keeps a created user, and says NOT_FOUND
/// for an id it does not have.
enum GetChecks {
    static let checks = [created, notFound]

    static let created = Check("created-user", "GetUser answers a user CreateUser made") { context in
        try await UserRPCCheck.run(context) { check in
            let create = check.people.create(0)
            let user = try Expect.user("CreateUser", create, await check.createUser(create), name: create.name, email: create.email)
            let get = User_GetUserRequest.with { $0.id = user.id }
            try Expect.user("GetUser", get, await check.getUser(get), id: user.id, name: create.name, email: create.email,
                            why: " (the one CreateUser answered)")
        }
    }

    static let notFound = Check("not-found", "GetUser of an unknown id is NOT_FOUND") { context in
        try await UserRPCCheck.run(context) { check in
            var random = context.random()
            let get = User_GetUserRequest.with { $0.id = 1_900_000_000 + Int32(random.next() % 100_000_000) }
            try Expect.status(.notFound, "GetUser", get, await check.getUser(get),
                              why: "no user has this id", tag: "not-found")
        }
    }
}
