import GRPCCore
import Grading
import SwiftProtobuf

/// Stage `deadlines`: a call with a deadline it has room for gets its answer; a call with a
/// deadline too short for anything ends with its answer or DEADLINE_EXCEEDED in time, never
/// another status, never a hang; and the server stops work nobody waits for any more, so
/// the next call is answered at once.
enum DeadlineChecks {
    static let checks = [inTime, short]

    /// Room enough for an in-memory lookup on a loaded machine, many times over.
    static let roomy: Duration = .seconds(3)

    static let inTime = Check("in-time", "Calls with a 3 s deadline get their answers") { context in
        try await UserRPCCheck.run(context) { check in
            let why = " (the call had a 3 s deadline, room enough)"
            let create = check.people.create(0)
            let user = try Expect.user("CreateUser", create, await check.createUser(create, timeout: roomy), name: create.name,
                                       email: create.email, why: why)
            let get = User_GetUserRequest.with { $0.id = user.id }
            try Expect.user("GetUser", get, await check.getUser(get, timeout: roomy), id: user.id, name: create.name, email: create.email,
                            why: why)
            let list = try Expect.answer("ListUsers", User_ListUsersRequest(), await check.listUsers(timeout: roomy),
                                         expected: "every user, within the call's 3 s deadline")
            if !list.contains(user) {
                throw CheckFailure("ListUsers with a 3 s deadline left out user \(user.id)", sent: "ListUsers {}", received: "\(list.count) users",
                                   expected: "among them User \(UserRPCText.line(user))")
            }
        }
    }

    /// How many calls with a deadline too short to meet, one after the other.
    static let shortCalls = 10

    static let short = Check("short", "Calls with a 5 ms deadline end in time, and the server goes on answering") { context in
        try await UserRPCCheck.run(context) { check in
            let create = check.people.create(0)
            let user = try Expect.user("CreateUser", create, await check.createUser(create), name: create.name, email: create.email)
            let get = User_GetUserRequest.with { $0.id = user.id }
            for call in 1...shortCalls {
                let why = " (call \(call) of \(shortCalls), each with a 5 ms deadline)"
                let outcome = call % 2 == 0 ? await check.getUser(get, timeout: .milliseconds(5))
                    : await check.listUsers(timeout: .milliseconds(5)).map { $0.first { $0.id == user.id } ?? User_User() }
                let method = call % 2 == 0 ? "GetUser" : "ListUsers"
                switch outcome {
                case .status(.deadlineExceeded, _):
                    continue
                case .answer(let answer) where answer == user:
                    continue
                default:
                    let message = "\(method) \(Expect.summary(outcome)) with a 5 ms deadline\(why)"
                    let expected = "User \(UserRPCText.line(user)), or status DEADLINE_EXCEEDED"
                    let hint = "the deadline reaches the handler as its context's: stop when ctx.Done() is closed"
                    if call % 2 == 0 {
                        throw Expect.failure(message, method, get, outcome, expected: expected, hint: hint, tag: "short")
                    }
                    throw Expect.failure(message, method, User_ListUsersRequest(), outcome, expected: expected, hint: hint, tag: "short")
                }
            }
            let after = check.waiting(atMost: 2)
            try Expect.user("GetUser", get, await after.getUser(get), id: user.id, name: create.name, email: create.email,
                            why: " within 2 s, right after \(shortCalls) calls whose deadlines passed: the server must stop work once a call's deadline passes")
        }
    }
}
