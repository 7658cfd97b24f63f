import GRPCCore
import Grading
import SwiftProtobuf

/// The judgements the checks share. Each failure names the RPC, the request in protobuf
/// text, what came back (the message, or the status code and its message) and what was
/// expected.
enum Expect {
    /// The call answered a user with `name` and `email` as sent (and `id`, when given; any
    /// positive id otherwise); returns it.
    @discardableResult
    static func user(_ method: String, _ request: some SwiftProtobuf.Message, _ outcome: RPCOutcome<User_User>,
                     id: Int32? = nil, name: String, email: String, why: String = "") throws -> User_User {
        let expected = User_User.with {
            $0.id = id ?? 0
            $0.name = name
            $0.email = email
        }
        let expectedText = id == nil ? UserRPCText.line(expected).replacingOccurrences(of: "{ ", with: "{ id: <any positive> ") : UserRPCText.line(expected)
        guard case .answer(let user) = outcome else {
            throw failure("\(method) \(summary(outcome)), expected a user\(why)", method, request, outcome, expected: expectedText)
        }
        guard user.name == name, user.email == email, id.map({ user.id == $0 }) ?? (user.id > 0) else {
            throw failure("\(method) answered another user than expected\(why)", method, request, outcome, expected: expectedText)
        }
        return user
    }

    /// The call ended with the status `code`.
    static func status<T>(_ code: RPCError.Code, _ method: String, _ request: some SwiftProtobuf.Message,
                          _ outcome: RPCOutcome<T>, why: String, hint: String? = nil, tag: String? = nil) throws {
        if case .status(code, _) = outcome { return }
        throw failure("\(method) \(summary(outcome)), expected \(RPCOutcome<T>.name(code)): \(why)", method, request, outcome,
                      expected: "status \(RPCOutcome<T>.name(code))", hint: hint, tag: tag)
    }

    /// The call answered; returns the answer.
    static func answer<T>(_ method: String, _ request: some SwiftProtobuf.Message, _ outcome: RPCOutcome<T>, expected: String) throws -> T {
        guard case .answer(let answer) = outcome else {
            throw failure("\(method) \(summary(outcome)), expected \(expected)", method, request, outcome, expected: expected)
        }
        return answer
    }

    /// "answered NOT_FOUND", "gave no answer within 10 s", "answered a user".
    static func summary<T>(_ outcome: RPCOutcome<T>) -> String {
        switch outcome {
        case .answer: return "answered"
        case .status(let code, _): return "ended with \(RPCOutcome<T>.name(code))"
        case .noAnswer(let seconds): return "gave no answer within \(seconds.formatted1) s"
        }
    }

    static func failure<T>(_ message: String, _ method: String, _ request: some SwiftProtobuf.Message, _ outcome: RPCOutcome<T>,
                           expected: String, hint: String? = nil, tag: String? = nil) -> CheckFailure {
        CheckFailure(message, sent: "\(method) \(UserRPCText.line(request))", received: outcome.described { text($0) }, expected: expected,
                     hint: hint ?? hintFor(outcome), tag: tag)
    }

    /// A message, or a list of them, in protobuf text.
    static func text(_ value: some Sendable) -> String {
        if let users = value as? [User_User] {
            if users.isEmpty { return "(the stream ended OK with no users)" }
            return users.map { "User " + UserRPCText.line($0) }.joined(separator: "\n")
        }
        if let message = value as? any SwiftProtobuf.Message { return UserRPCText.line(message) }
        return String(describing: value)
    }

    private static func hintFor<T>(_ outcome: RPCOutcome<T>) -> String? {
        switch outcome {
        case .status(.unimplemented, _):
            return "the RPC is not written yet: UnimplementedUserServiceServer answers it for you"
        case .status(.unknown, _):
            return "a plain Go error (errors.New, fmt.Errorf) reaches the client as UNKNOWN; return status.Error(codes.X, ...)"
        case .status(.unavailable, _):
            return "the server could not be reached, or closed the connection: is it serving gRPC (grpc.NewServer) on 127.0.0.1:$PORT?"
        default:
            return nil
        }
    }
}
