import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Grading
import Testing
@testable import UserRPCPiece

/// What a learner reads when a check fails: the RPC, the request in protobuf text, the
/// status code and message that came back, and what was expected. Shown here with the
/// reference's service, broken the way a plain Go error breaks a server (UNKNOWN).
@Suite struct UserRPCFailureMessageTests {
    /// The reference, but a missing user is UNKNOWN.
    struct UnknownForMissing: User_UserService.SimpleServiceProtocol {
        let reference = UserServiceReference(directory: UserDirectory(), log: nil)

        func getUser(request: User_GetUserRequest, context: ServerContext) async throws -> User_User {
            do {
                return try await reference.getUser(request: request, context: context)
            } catch let error as RPCError where error.code == .notFound {
                throw RPCError(code: .unknown, message: "user \(request.id) not found")
            }
        }

        func createUser(request: User_CreateUserRequest, context: ServerContext) async throws -> User_User {
            try await reference.createUser(request: request, context: context)
        }

        func listUsers(request: User_ListUsersRequest, response: RPCWriter<User_User>, context: ServerContext) async throws {
            try await reference.listUsers(request: request, response: response, context: context)
        }

        func updateUser(request: User_UpdateUserRequest, context: ServerContext) async throws -> User_User {
            try await reference.updateUser(request: request, context: context)
        }

        func deleteUser(request: User_DeleteUserRequest, context: ServerContext) async throws -> User_DeleteUserResponse {
            try await reference.deleteUser(request: request, context: context)
        }
    }

    static let broken = InProcessServer { port, _ in
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [UnknownForMissing()])
        let serving = Task { try await server.serve() }
        _ = try await transport.listeningAddress
        return InProcessServer.Instance(stop: {
            server.beginGracefulShutdown()
            _ = await serving.result
        })
    }

    @Test func aWrongStatusNamesTheRPCTheRequestTheStatusAndTheExpectedOne() async throws {
        var exercise = try UserRPCReferenceTests.exercise()
        exercise.stages = Array(exercise.stages.prefix(1))
        let grader = Grader(registry: PieceRegistry([UserRPC.piece]), seed: 15, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, server: Self.broken, name: "unknown-for-missing")
        let checks = try #require(result.stages.first?.checks)
        #expect(checks.map(\.status) == [.passed, .failed])
        let failure = try #require(checks.last?.failure)
        #expect(failure.message == "GetUser ended with UNKNOWN, expected NOT_FOUND: no user has this id")
        let sent = try #require(failure.sent)
        #expect(sent.hasPrefix("GetUser { id: 19"), "\(sent)")
        #expect(failure.received?.hasPrefix("status UNKNOWN: user 19") == true, "\(failure.received ?? "")")
        #expect(failure.expected == "status NOT_FOUND")
        #expect(failure.hint?.contains("status.Error(codes.X") == true)
    }
}
