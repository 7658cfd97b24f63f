import Foundation
import Testing

/// Programs a lesson presents as the answer to an exercise must pass that exercise's checks:
/// a lesson that teaches code the checker refuses sends the learner in circles. Each program
/// is taken from the lesson as written and checked with `course check --dir`.
@Suite(.serialized) struct LessonProgramTests {
    /// The ```go block of `lesson` whose first line is `firstLine`.
    static func goBlock(in lesson: String, startingWith firstLine: String) throws -> String {
        let url = CLIHarness.repositoryRoot.appendingPathComponent("Curriculum/lessons/\(lesson).md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        guard let open = lines.firstIndex(of: firstLine), open > 0, lines[open - 1].hasPrefix("```go") else {
            throw CLIError("Curriculum/lessons/\(lesson).md has no ```go block starting with \(firstLine)")
        }
        guard let close = lines[open...].firstIndex(of: "```") else {
            throw CLIError("the block at Curriculum/lessons/\(lesson).md:\(open + 1) is not closed")
        }
        return lines[open..<close].joined(separator: "\n") + "\n"
    }

    @Test func theWholeServiceOfHTTPAndRESTAPIsPassesUsersAPI() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.deletingLastPathComponent().appendingPathComponent("whole-service")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let code = try Self.goBlock(in: "http-rest-apis", startingWith: "// Command users serves an in-memory users REST API on $PORT (default 8080).")
        try code.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["check", "users-api", "--dir", folder.path, "--color", "never"],
                                       environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "the lesson's users API fails the users-api checks:\n\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Passed: 5/5 stages"), "\(result.stdout)")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
