import Grading

/// Stage `concurrency`: 50 clients, each on its own connection, create and read back a
/// user at once; every user gets an id of its own and all of them are listed. (The stage
/// also runs under Go's race detector: the manifest says `race: true`.)
enum ConcurrencyChecks {
    static let checks = [fifty]

    static let clients = 50

    static let fifty = Check("fifty-clients", "50 clients create and read users at once") { context in
        try await UserRPCCheck.run(context) { check in
            let results = await withTaskGroup(of: (Int, Result<User_User, CheckFailure>).self) { group in
                for index in 0..<clients {
                    group.addTask {
                        do {
                            return (index, .success(try await UserRPCCheck.withClient(port: check.port) { client in
                                let own = check.using(client)
                                let create = check.people.create(index)
                                let user = try Expect.user("CreateUser", create, await own.createUser(create), name: create.name, email: create.email,
                                                           why: " (client \(index + 1) of \(clients), all at once)")
                                let get = User_GetUserRequest.with { $0.id = user.id }
                                return try Expect.user("GetUser", get, await own.getUser(get), id: user.id, name: create.name, email: create.email,
                                                       why: " (client \(index + 1) of \(clients), all at once)")
                            }))
                        } catch let failure as CheckFailure {
                            return (index, .failure(failure))
                        } catch {
                            return (index, .failure(CheckFailure("client \(index + 1) could not connect: \(error)")))
                        }
                    }
                }
                var results: [(Int, Result<User_User, CheckFailure>)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            let failures = results.compactMap { if case .failure(let failure) = $0 { return failure } else { return nil } }
            if var first = failures.first {
                first.message = "\(failures.count) of \(clients) clients failed; the first: " + first.message
                throw first
            }
            let users = results.compactMap { try? $0.get() }
            let byID = Dictionary(grouping: users, by: \.id)
            if let shared = byID.values.first(where: { $0.count > 1 }) {
                throw CheckFailure("\(shared.count) users created at once got the same id \(shared[0].id): the id counter must be read and advanced under one lock",
                                   sent: shared.map { "CreateUser " + UserRPCText.line(check.people.create(users.firstIndex(of: $0) ?? 0)) }.joined(separator: "\n"),
                                   received: shared.map { "User " + UserRPCText.line($0) }.joined(separator: "\n"),
                                   expected: "a different id for every user", tag: "same-id")
            }
            let list = try Expect.answer("ListUsers", User_ListUsersRequest(), await check.listUsers(), expected: "a stream of every user")
            let listed = Set(list.map(\.id))
            let missing = users.filter { !listed.contains($0.id) }
            if let first = missing.first {
                throw CheckFailure("ListUsers left out \(missing.count) of the \(clients) users created at once",
                                   sent: "ListUsers {}", received: "\(list.count) users", expected: "among them User \(UserRPCText.line(first))",
                                   tag: "lost")
            }
        }
    }

    /// Creates `count` users of the check, `parallel` calls at a time; the users answered, in
    /// the order of their requests. Each `callsPerConnection` calls get a connection of their
    /// own: grpc-go servers send a BDP PING for nearly every request they read, and
    /// swift-nio-http2 (under this client) takes more than 200 PINGs in 30 s for a flood and
    /// closes the connection, so one connection for 500 calls to a correct Go server could
    /// end in UNAVAILABLE.
    static func create(_ check: UserRPCCheck, count: Int, parallel: Int) async throws -> [User_User] {
        var users: [User_User] = []
        var next = 0
        while next < count {
            let chunk = next..<min(count, next + callsPerConnection)
            users += try await UserRPCCheck.withClient(port: check.port) { client in
                try await create(check.using(client), chunk, parallel: parallel)
            }
            next = chunk.upperBound
        }
        return users
    }

    /// The most calls a check makes on one connection (see `create`).
    static let callsPerConnection = 100

    private static func create(_ check: UserRPCCheck, _ indices: Range<Int>, parallel: Int) async throws -> [User_User] {
        var users: [User_User] = []
        var next = indices.lowerBound
        while next < indices.upperBound {
            let batch = next..<min(indices.upperBound, next + parallel)
            let outcomes = await withTaskGroup(of: (Int, RPCOutcome<User_User>).self) { group in
                for index in batch {
                    group.addTask { (index, await check.createUser(check.people.create(index))) }
                }
                var outcomes: [(Int, RPCOutcome<User_User>)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted { $0.0 < $1.0 }
            }
            for (index, outcome) in outcomes {
                let create = check.people.create(index)
                users.append(try Expect.user("CreateUser", create, outcome, name: create.name, email: create.email))
            }
            next = batch.upperBound
        }
        return users
    }
}
