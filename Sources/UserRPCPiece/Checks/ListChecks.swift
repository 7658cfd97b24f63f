import Grading

/// Stage `list`: ListUsers streams every user, in ascending id order, also many of them.
/// Users of earlier checks may be in the stream too: the check asks that its own are all
/// there, as created, and that the ids only grow.
enum ListChecks {
    static let checks = [few, many]

    static let few = Check("five", "ListUsers streams five new users, in id order") { context in
        try await UserRPCCheck.run(context, connected: false) { check in
            try await createAndList(check, count: 5, parallel: 1)
        }
    }

    static let many = Check("five-hundred", "ListUsers streams 500 users, in id order") { context in
        try await UserRPCCheck.run(context, connected: false) { check in
            try await createAndList(check, count: 500, parallel: 10)
        }
    }

    /// Creates `count` users (`parallel` calls at a time), lists, and judges the stream. The
    /// check holds no connection of its own (`connected: false`): creates and the list each
    /// open theirs, one after another.
    static func createAndList(_ check: UserRPCCheck, count: Int, parallel: Int) async throws {
        let created = try await ConcurrencyChecks.create(check, count: count, parallel: parallel)
        let request = User_ListUsersRequest()
        let listed = try await UserRPCCheck.withClient(port: check.port) { client in await check.using(client).listUsers() }
        let users = try Expect.answer("ListUsers", request, listed, expected: "a stream of every user, ending OK")
        let streamed = Expect.text(users)
        let shown = users.count > 12 ? "\(users.count) users; the first and last:\n" + Expect.text(Array(users.prefix(3))) + "\n…\n" + Expect.text(Array(users.suffix(3))) : streamed
        for (earlier, later) in zip(users, users.dropFirst()) where later.id <= earlier.id {
            throw CheckFailure("ListUsers sent user \(later.id) after user \(earlier.id): the stream must be in ascending id order",
                               sent: "ListUsers {}", received: shown, expected: "users in ascending id order", tag: "order")
        }
        let byID = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = created.filter { byID[$0.id] != $0 }
        if let first = missing.first {
            let last = created.last.map { byID[$0.id] == nil } ?? false
            throw CheckFailure("ListUsers left out \(missing.count) of the \(created.count) users this check created" +
                               (last ? ", the last one created among them" : "") + ", or sent them changed",
                               sent: "ListUsers {}", received: shown,
                               expected: "every user, among them User \(UserRPCText.line(first))", tag: last ? "last" : "missing")
        }
    }
}
