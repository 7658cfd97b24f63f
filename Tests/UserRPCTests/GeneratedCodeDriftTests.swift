import CourseEngine
import Foundation
import Grading
import Testing

/// The committed generated code is what its generators make of today's user.proto, so a
/// change to the proto cannot ship without the code that serves and checks it.
///
/// Go: the README's own protoc command (Debian's protoc-gen-go and protoc-gen-go-grpc, as the
/// learner runs it) regenerates `userpb/` of the starter and the solution byte for byte.
/// Swift: the plugins are never built in CI (minutes of build), so the generator records the
/// proto's SHA-256 next to the code, and the proto must still have it.
@Suite struct GeneratedCodeDriftTests {
    static let exercise = UserRPCReferenceTests.exerciseFolder
    static let generated = UserRPCReferenceTests.repository.appendingPathComponent("Sources/UserRPCPiece/Generated")

    @Test func theSwiftCodeWasGeneratedFromTodaysProto() throws {
        let proto = try Data(contentsOf: Self.exercise.appendingPathComponent("user.proto"))
        let recorded = try String(contentsOf: Self.generated.appendingPathComponent("user.proto.sha256"), encoding: .utf8)
            .split(separator: " ").first.map(String.init)
        #expect(recorded == SHA256.hex(of: Array(proto)),
                "Exercises/user-rpc/user.proto changed since Sources/UserRPCPiece/Generated was generated: run `bash scripts/generate-user-rpc.sh` and commit the result")
    }

    @Test(arguments: ["starter/go", "solution/go"])
    func theGoCodeIsWhatTheReadmeCommandMakes(_ folder: String) async throws {
        let command = try Self.readmeProtocCommand()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("user-rpc-drift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: Self.exercise.appendingPathComponent(folder), to: scratch)
        let files = ["userpb/user.pb.go", "userpb/user_grpc.pb.go"]
        for file in files { try FileManager.default.removeItem(at: scratch.appendingPathComponent(file)) }
        let log = scratch.appendingPathComponent("protoc.log")
        let child = try ChildProcess.spawn(.init(arguments: ["/bin/bash", "-c", command], environment: ProcessInfo.processInfo.environment, directory: scratch.path,
                                                 stdout: .file(log.path), stderr: .file(log.path, append: true)))
        let status = await child.waitAsync(timeout: 120)
        if status == nil { child.send(SIGKILL); _ = await child.waitAsync() }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try #require(status == .exited(0), "the README's protoc command failed in \(folder):\n\(command)\n\(output)")
        for file in files {
            let made = try Data(contentsOf: scratch.appendingPathComponent(file))
            let committed = try Data(contentsOf: Self.exercise.appendingPathComponent("\(folder)/\(file)"))
            #expect(made == committed, "Exercises/user-rpc/\(folder)/\(file) is not what the README's protoc command makes of userpb/user.proto: run it there and commit the result")
        }
    }

    /// The sh block under "Generating the Go code" in the exercise's README, as one command.
    static func readmeProtocCommand() throws -> String {
        let readme = try String(contentsOf: exercise.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        let heading = try #require(lines.firstIndex(of: "## Generating the Go code"), "no \"Generating the Go code\" section in the README")
        let start = try #require(lines[heading...].firstIndex(of: "```sh"), "no sh block under \"Generating the Go code\"")
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        let command = lines[(start + 1)..<end].joined(separator: "\n")
        #expect(command.hasPrefix("protoc "))
        return command
    }
}
