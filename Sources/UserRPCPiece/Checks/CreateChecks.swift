import Grading

/// Stage `create`: the users API's rules, as gRPC statuses: INVALID_ARGUMENT for a name or
/// email that breaks them, ALREADY_EXISTS for an email taken, in any letter case.
enum CreateChecks {
    static let checks = [valid, invalid, duplicate]

    static let valid = Check("valid", "CreateUser keeps name and email as sent") { context in
        try await UserRPCCheck.run(context) { check in
            for (name, email) in [("Zoë Çelik", "zoe.celik+\(check.people.tag)@example.com"),
                                  ("渡辺 健", "Watanabe.\(check.people.tag)@Mail.Example.org")] {
                let create = User_CreateUserRequest.with {
                    $0.name = name
                    $0.email = email
                }
                let user = try Expect.user("CreateUser", create, await check.createUser(create), name: name, email: email)
                let get = User_GetUserRequest.with { $0.id = user.id }
                try Expect.user("GetUser", get, await check.getUser(get), id: user.id, name: name, email: email)
            }
        }
    }

    /// Inputs every reading of the rules refuses.
    static let refused: [(name: String, email: String, why: String)] = [
        ("", "ada@example.com", "the name is empty"),
        ("   ", "ada@example.com", "the name is only spaces"),
        ("Ada Lovelace", "", "the email is empty"),
        ("Ada Lovelace", "not-an-email", "the email has no @"),
        ("Ada Lovelace", "missing-at.example.com", "the email has no @"),
        ("Ada Lovelace", "a@", "the email has no domain"),
        ("Ada Lovelace", "@example.com", "the email has nothing before the @"),
        ("Ada Lovelace", "ada@example", "the email's domain has no dot"),
        ("Ada Lovelace", "ada lovelace@example.com", "the email has a space"),
    ]

    static let invalid = Check("invalid", "CreateUser refuses an empty name or a bad email with INVALID_ARGUMENT") { context in
        try await UserRPCCheck.run(context) { check in
            for input in refused {
                let create = User_CreateUserRequest.with {
                    $0.name = input.name
                    $0.email = input.email
                }
                try Expect.status(.invalidArgument, "CreateUser", create, await check.createUser(create), why: input.why, tag: "invalid")
            }
        }
    }

    static let duplicate = Check("duplicate", "CreateUser with a taken email, in any case, is ALREADY_EXISTS") { context in
        try await UserRPCCheck.run(context) { check in
            let first = check.people.create(0)
            let user = try Expect.user("CreateUser", first, await check.createUser(first), name: first.name, email: first.email)
            let again = User_CreateUserRequest.with {
                $0.name = check.people.name(1)
                $0.email = first.email
            }
            try Expect.status(.alreadyExists, "CreateUser", again, await check.createUser(again),
                              why: "user \(user.id) has this email", tag: "duplicate")
            let upper = User_CreateUserRequest.with {
                $0.name = check.people.name(2)
                $0.email = first.email.uppercased()
            }
            try Expect.status(.alreadyExists, "CreateUser", upper, await check.createUser(upper),
                              why: "user \(user.id) has \(first.email), the same email in other letter case",
                              tag: "duplicate-case")
        }
    }
}
