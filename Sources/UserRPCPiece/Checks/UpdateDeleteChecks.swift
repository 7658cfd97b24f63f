import Grading

/// Stage `update-delete`: UpdateUser changes only the fields the request sets (`optional`
/// gives them presence), under the create's rules; DeleteUser removes a user for good, and
/// its id is never handed out again.
enum UpdateDeleteChecks {
    static let checks = [partial, refused, delete]

    static let partial = Check("partial", "UpdateUser changes only the fields it sets") { context in
        try await UserRPCCheck.run(context) { check in
            let create = check.people.create(0)
            let user = try Expect.user("CreateUser", create, await check.createUser(create), name: create.name, email: create.email)
            let rename = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.name = check.people.name(1)
            }
            try Expect.user("UpdateUser", rename, await check.updateUser(rename), id: user.id, name: check.people.name(1), email: create.email,
                            why: " (the request sets only the name: the email stays)")
            let newEmail = check.people.email(2)
            let move = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.email = newEmail
            }
            try Expect.user("UpdateUser", move, await check.updateUser(move), id: user.id, name: check.people.name(1), email: newEmail,
                            why: " (the request sets only the email: the name stays)")
            let same = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.name = check.people.name(3)
                $0.email = newEmail
            }
            try Expect.user("UpdateUser", same, await check.updateUser(same), id: user.id, name: check.people.name(3), email: newEmail,
                            why: " (a user keeping its own email is no conflict)")
            let get = User_GetUserRequest.with { $0.id = user.id }
            try Expect.user("GetUser", get, await check.getUser(get), id: user.id, name: check.people.name(3), email: newEmail,
                            why: " (as the last UpdateUser left it)")
        }
    }

    static let refused = Check("refused", "UpdateUser says NOT_FOUND, INVALID_ARGUMENT and ALREADY_EXISTS as CreateUser does") { context in
        try await UserRPCCheck.run(context) { check in
            let first = check.people.create(0), second = check.people.create(1)
            let user = try Expect.user("CreateUser", first, await check.createUser(first), name: first.name, email: first.email)
            let other = try Expect.user("CreateUser", second, await check.createUser(second), name: second.name, email: second.email)
            var random = context.random()
            let unknown = User_UpdateUserRequest.with {
                $0.id = 1_900_000_000 + Int32(random.next() % 100_000_000)
                $0.name = "Nobody"
            }
            try Expect.status(.notFound, "UpdateUser", unknown, await check.updateUser(unknown), why: "no user has this id", tag: "not-found")
            let empty = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.name = ""
            }
            try Expect.status(.invalidArgument, "UpdateUser", empty, await check.updateUser(empty),
                              why: "the request sets the name, to empty", tag: "invalid")
            let bad = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.email = "not-an-email"
            }
            try Expect.status(.invalidArgument, "UpdateUser", bad, await check.updateUser(bad), why: "the email has no @", tag: "invalid")
            let taken = User_UpdateUserRequest.with {
                $0.id = user.id
                $0.email = other.email.uppercased()
            }
            try Expect.status(.alreadyExists, "UpdateUser", taken, await check.updateUser(taken),
                              why: "user \(other.id) has \(other.email), the same email in other letter case", tag: "duplicate")
            let get = User_GetUserRequest.with { $0.id = user.id }
            try Expect.user("GetUser", get, await check.getUser(get), id: user.id, name: first.name, email: first.email,
                            why: " (no refused UpdateUser changed it)")
        }
    }

    static let delete = Check("delete", "DeleteUser removes a user; its id is not handed out again") { context in
        try await UserRPCCheck.run(context) { check in
            let create = check.people.create(0)
            let user = try Expect.user("CreateUser", create, await check.createUser(create), name: create.name, email: create.email)
            let delete = User_DeleteUserRequest.with { $0.id = user.id }
            _ = try Expect.answer("DeleteUser", delete, await check.deleteUser(delete), expected: "DeleteUserResponse {}")
            let get = User_GetUserRequest.with { $0.id = user.id }
            try Expect.status(.notFound, "GetUser", get, await check.getUser(get), why: "user \(user.id) was deleted", tag: "still-there")
            try Expect.status(.notFound, "DeleteUser", delete, await check.deleteUser(delete), why: "user \(user.id) was deleted already",
                              tag: "delete-twice")
            let list = try Expect.answer("ListUsers", User_ListUsersRequest(), await check.listUsers(), expected: "a stream of every user")
            if let listed = list.first(where: { $0.id == user.id }) {
                throw CheckFailure("ListUsers still sends user \(user.id), which DeleteUser removed", sent: "ListUsers {}",
                                   received: "User \(UserRPCText.line(listed))", expected: "no user \(user.id)", tag: "listed")
            }
            let again = try Expect.user("CreateUser", create, await check.createUser(create), name: create.name, email: create.email,
                                        why: " (the deleted user's email is free again)")
            if again.id == user.id {
                throw CheckFailure("CreateUser gave the deleted user's id \(user.id) to a new user: an id is never handed out twice",
                                   sent: "CreateUser \(UserRPCText.line(create))", received: "User \(UserRPCText.line(again))",
                                   expected: "a new id, not \(user.id)", tag: "id-reused")
            }
        }
    }
}
