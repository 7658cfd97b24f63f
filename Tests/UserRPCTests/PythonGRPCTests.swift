import Foundation
import Grading
import Testing
@testable import UserRPCPiece

/// gRPC as another stack speaks it: a Python grpcio client calls every RPC of the
/// reference, and the checks pass a Python grpcio server written from the README (a check
/// that a correct server in another stack fails is a wrong check).
@Suite(.serialized) struct PythonGRPCTests {
    struct Call: Decodable {
        let rpc: String
        let code: String
        let message: String?
    }

    @Test func aPythonClientCallsEveryRPCOfTheReference() async throws {
        let python = try await PythonGRPC.generate()
        defer { python.remove() }
        let server = try await UserRPCServer.start(port: 0)
        let (status, output) = try await python.run(["user_client.py", "127.0.0.1:\(server.port)"])
        await server.stop()
        #expect(status == .exited(0), "\(output)")
        let lines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
        let calls = try lines.map { try JSONDecoder().decode(Call.self, from: Data($0.utf8)) }
        #expect(calls.map(\.rpc) == ["CreateUser", "CreateUser", "CreateUser", "CreateUser", "GetUser", "GetUser", "UpdateUser",
                                     "ListUsers", "DeleteUser", "DeleteUser", "ListUsers"], "\(output)")
        #expect(calls.map(\.code) == ["OK", "OK", "INVALID_ARGUMENT", "ALREADY_EXISTS", "OK", "NOT_FOUND", "OK",
                                      "OK", "OK", "NOT_FOUND", "OK"], "\(output)")
        #expect(lines[6].contains(#""name": "Ada King", "email": "ada@example.com""#), "\(output)")
        #expect(lines[7].contains(#"[{"id": 1, "name": "Ada King", "email": "ada@example.com"}, {"id": 2, "name": "Grace Hopper""#), "\(output)")
        #expect(lines[10].contains(#"[{"id": 2, "name": "Grace Hopper", "email": "grace@example.com"}]"#), "\(output)")
    }

    @Test func thePythonServerPassesEveryCheck() async throws {
        let python = try await PythonGRPC.generate()
        defer { python.remove() }
        let exercise = try UserRPCReferenceTests.exercise()
        let grader = Grader(registry: PieceRegistry([UserRPC.piece]), seed: 15, allStages: true, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, command: python.serverCommand, name: "python-grpcio")
        let failures = UserRPCReferenceTests.failures(result)
        #expect(failures.isEmpty, "the Python grpcio server fails checks, so they are wrong:\n\(failures.joined(separator: "\n"))")
        #expect(result.stages.count == 6)
    }
}
