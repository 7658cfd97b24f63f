import Foundation
import GRPCCore
import Grading
import Testing
@testable import UserRPCPiece

/// The reference passes every stage of the `user-rpc` checks, run in-process, and the
/// proto the learner generates from is the one the reference was generated from.
@Suite struct UserRPCReferenceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exerciseFolder = repository.appendingPathComponent("Exercises/user-rpc")

    /// The exercise, with time enough for a test suite that holds both cores.
    static func exercise() throws -> ExerciseManifest {
        var exercise = try ExerciseManifest.load(folder: exerciseFolder)
        exercise.readySeconds = 60
        exercise.limits.stageSeconds = 180
        exercise.limits.totalSeconds = 900
        return exercise
    }

    static let reference = InProcessServer { port, _ in
        let server = try await UserRPCServer.start(port: port)
        return InProcessServer.Instance(stop: { await server.stop() })
    }

    static func failures(_ result: SubmissionResult) -> [String] {
        result.stages.flatMap { stage in
            stage.checks.filter { $0.status != .passed }.map { "\(stage.id)/\($0.id): \($0.failure?.description ?? $0.status.rawValue)" }
        }
    }

    @Test func theReferencePassesEveryStage() async throws {
        let exercise = try Self.exercise()
        let grader = Grader(registry: PieceRegistry([UserRPC.piece]), seed: 15, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, server: Self.reference, name: "reference")
        let failures = Self.failures(result)
        #expect(failures.isEmpty, "the reference fails:\n\(failures.joined(separator: "\n"))")
        #expect(result.stages.map(\.id) == ["get", "create", "list", "update-delete", "deadlines", "concurrency"])
    }

    @Test func theProtoIsTheSameWhereverItIsCopied() throws {
        let proto = try String(contentsOf: Self.exerciseFolder.appendingPathComponent("user.proto"), encoding: .utf8)
        for copy in ["starter/go/userpb/user.proto", "solution/go/userpb/user.proto"] {
            let text = try String(contentsOf: Self.exerciseFolder.appendingPathComponent(copy), encoding: .utf8)
            #expect(text == proto, "Exercises/user-rpc/\(copy) differs from Exercises/user-rpc/user.proto")
        }
        let generated = try String(contentsOf: Self.repository.appendingPathComponent("Sources/UserRPCPiece/Generated/user.pb.swift"), encoding: .utf8)
        #expect(generated.contains("// Source: user.proto"))
    }
}
