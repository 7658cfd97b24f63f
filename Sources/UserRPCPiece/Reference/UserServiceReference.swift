import GRPCCore
import SwiftProtobuf

/// `UserService` as the course means it: the users API's rules over gRPC, with the standard
/// status codes (NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS). Deadlines: grpc-swift cancels
/// a handler whose call's deadline passes (and the client gets DEADLINE_EXCEEDED), and
/// `ListUsers` checks for that between users, so the server stops work nobody waits for.
struct UserServiceReference: User_UserService.SimpleServiceProtocol {
    let directory: UserDirectory
    let log: (@Sendable (String) -> Void)?

    func getUser(request: User_GetUserRequest, context: ServerContext) async throws -> User_User {
        try answer("GetUser", request) { try directory.get(request.id) }
    }

    func createUser(request: User_CreateUserRequest, context: ServerContext) async throws -> User_User {
        try answer("CreateUser", request) { try directory.create(name: request.name, email: request.email) }
    }

    func listUsers(request: User_ListUsersRequest, response: RPCWriter<User_User>, context: ServerContext) async throws {
        let users = directory.all()
        for user in users {
            try Task.checkCancellation()
            try await response.write(user.message)
        }
        log?("ListUsers → \(users.count) users")
    }

    func updateUser(request: User_UpdateUserRequest, context: ServerContext) async throws -> User_User {
        try answer("UpdateUser", request) {
            try directory.update(request.id, name: request.hasName ? request.name : nil,
                                 email: request.hasEmail ? request.email : nil)
        }
    }

    func deleteUser(request: User_DeleteUserRequest, context: ServerContext) async throws -> User_DeleteUserResponse {
        _ = try answer("DeleteUser", request) { () throws -> UserDirectory.Record? in
            try directory.delete(request.id)
            return nil
        }
        return User_DeleteUserResponse()
    }

    /// Runs one unary call, turning a refusal into its status and logging both ways.
    private func answer<Request: SwiftProtobuf.Message>(
        _ method: String, _ request: Request,
        _ body: () throws -> UserDirectory.Record?
    ) throws -> User_User {
        do {
            let user = try body()
            log?("\(method) \(UserRPCText.line(request)) → OK \(user.map { UserRPCText.line($0.message) } ?? "")")
            return user?.message ?? User_User()
        } catch let refusal as UserDirectory.Refusal {
            let status = refusal.status
            log?("\(method) \(UserRPCText.line(request)) → \(RPCOutcome<User_User>.name(status.code)) \(status.message)")
            throw status
        }
    }
}

extension UserDirectory.Record {
    var message: User_User {
        User_User.with {
            $0.id = id
            $0.name = name
            $0.email = email
        }
    }
}

extension UserDirectory.Refusal {
    var status: RPCError {
        switch self {
        case .notFound(let id): return RPCError(code: .notFound, message: "user \(id) not found")
        case .invalid(let problem): return RPCError(code: .invalidArgument, message: problem)
        case .emailTaken(let email): return RPCError(code: .alreadyExists, message: "email \"\(email)\" already registered")
        }
    }
}
