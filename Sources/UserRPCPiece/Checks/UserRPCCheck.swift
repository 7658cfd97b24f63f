import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Grading

/// What a user RPC check works with: a grpc-swift-2 client of the learner's server over
/// loopback (one HTTP/2 connection), the check's seeded names and emails, and calls that
/// end as an `RPCOutcome` instead of throwing, so the check words the failure itself.
///
/// Ordinary calls carry no gRPC deadline (a server may treat deadlines its own way until
/// the deadlines stage): the check stops waiting on its own after `waitSeconds`.
struct UserRPCCheck: Sendable {
    let client: User_UserService.Client<HTTP2ClientTransport.Posix>
    let port: Int
    let deadline: Date
    let people: CheckPeople
    /// The longest this check waits for one call without a deadline.
    var maximumWait: Double

    /// The longest a check waits for one call without a deadline, at the least.
    static let waitSeconds = 10.0

    /// Runs `body` with a client connected to the learner's server. With `connected: false`
    /// the check holds no connection of its own: `body` opens each it needs (`withClient`),
    /// one at a time, so a server that serves one connection at a time is not caught there,
    /// but in the stage meant for it.
    static func run(_ context: CheckContext, connected: Bool = true, _ body: @escaping @Sendable (UserRPCCheck) async throws -> Void) async throws {
        let port = try await context.endpoint().port
        let people = CheckPeople(context)
        // A stage given more time (a grader on a loaded machine) lets each call wait longer too.
        let wait = max(waitSeconds, Double(context.exercise.limits.stageSeconds) / 6)
        guard connected else {
            // A client never run never connects; `using(_:)` replaces it before any call.
            let idle = GRPCClient(transport: try HTTP2ClientTransport.Posix(target: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext))
            try await body(UserRPCCheck(client: User_UserService.Client(wrapping: idle), port: port, deadline: context.deadline, people: people, maximumWait: wait))
            return
        }
        try await withClient(port: port) { client in
            try await body(UserRPCCheck(client: client, port: port, deadline: context.deadline, people: people, maximumWait: wait))
        }
    }

    /// A client of its own (its own connection) for as long as `body` runs.
    static func withClient<T: Sendable>(port: Int, _ body: (User_UserService.Client<HTTP2ClientTransport.Posix>) async throws -> T) async throws -> T {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(User_UserService.Client(wrapping: client))
        }
    }

    /// The same check, calling through `client` (another connection to the same server).
    func using(_ client: User_UserService.Client<HTTP2ClientTransport.Posix>) -> UserRPCCheck {
        UserRPCCheck(client: client, port: port, deadline: deadline, people: people, maximumWait: maximumWait)
    }

    /// How long a call may take: `waitSeconds`, or less when the stage ends sooner.
    var wait: Double { max(0.5, min(maximumWait, deadline.timeIntervalSinceNow - 1)) }

    /// The same client, waiting at most `seconds` for a call.
    func waiting(atMost seconds: Double) -> UserRPCCheck {
        var check = self
        check.maximumWait = seconds
        return check
    }

    func getUser(_ request: User_GetUserRequest, timeout: Duration? = nil) async -> RPCOutcome<User_User> {
        await outcome(timeout: timeout) { options in try await client.getUser(request, options: options) }
    }

    func createUser(_ request: User_CreateUserRequest, timeout: Duration? = nil) async -> RPCOutcome<User_User> {
        await outcome(timeout: timeout) { options in try await client.createUser(request, options: options) }
    }

    func updateUser(_ request: User_UpdateUserRequest, timeout: Duration? = nil) async -> RPCOutcome<User_User> {
        await outcome(timeout: timeout) { options in try await client.updateUser(request, options: options) }
    }

    func deleteUser(_ request: User_DeleteUserRequest, timeout: Duration? = nil) async -> RPCOutcome<User_DeleteUserResponse> {
        await outcome(timeout: timeout) { options in try await client.deleteUser(request, options: options) }
    }

    /// Every user the stream sent, in the order it sent them, once it ended OK. A stream that
    /// ends with an error status after some users is that status (the users are lost).
    func listUsers(timeout: Duration? = nil) async -> RPCOutcome<[User_User]> {
        await outcome(timeout: timeout) { options in
            try await client.listUsers(User_ListUsersRequest(), options: options) { response in
                var users: [User_User] = []
                for try await user in response.messages { users.append(user) }
                return users
            }
        }
    }

    /// Runs one call, with `timeout` as its gRPC deadline if given; the check gives up after
    /// `wait` seconds (or the deadline and a second more) and cancels it.
    private func outcome<T: Sendable>(timeout: Duration?, _ call: @escaping @Sendable (CallOptions) async throws -> T) async -> RPCOutcome<T> {
        var callOptions = CallOptions.defaults
        callOptions.timeout = timeout
        let options = callOptions
        let limit = timeout.map { min(wait, $0.seconds + 1) } ?? wait
        return await withTaskGroup(of: RPCOutcome<T>?.self) { group in
            group.addTask {
                do {
                    return .answer(try await call(options))
                } catch let error as RPCError {
                    return .status(error.code, error.message)
                } catch is CancellationError {
                    return nil
                } catch {
                    return .status(.unknown, "\(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(limit))
                return Task.isCancelled ? nil : .noAnswer(seconds: limit)
            }
            var result: RPCOutcome<T> = .noAnswer(seconds: limit)
            for await outcome in group {
                if let outcome {
                    result = outcome
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

/// Names and emails for one check: emails carry a tag made of the check's id and a seeded
/// number, so no two checks (nor two runs with different seeds) share an email, whatever
/// the server kept from earlier stages.
struct CheckPeople: Sendable {
    let tag: String

    init(_ context: CheckContext) {
        var random = context.random()
        let check = context.checkID.split(separator: "/").last.map(String.init) ?? "check"
        tag = check.filter { $0.isLetter || $0.isNumber } + String(random.next() % 0x10000, radix: 16)
    }

    static let names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra",
                        "Frances Allen", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Radia Perlman"]

    func name(_ index: Int) -> String { Self.names[index % Self.names.count] }

    /// The `index`th person's email: `ada.lovelace+TAG.INDEX@example.com`.
    func email(_ index: Int) -> String {
        let local = name(index).lowercased().replacingOccurrences(of: " ", with: ".")
        return "\(local)+\(tag).\(index)@example.com"
    }

    func create(_ index: Int) -> User_CreateUserRequest {
        User_CreateUserRequest.with {
            $0.name = name(index)
            $0.email = email(index)
        }
    }
}
