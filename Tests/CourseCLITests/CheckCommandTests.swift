import Foundation
import Testing

/// `course check` as a learner runs it: the starter is copied into the workspace and fails
/// stage 1 with what was sent and received; a solution passes; every attempt is recorded.
@Suite struct CheckCommandTests {
    @Test func theStarterFailsStageOneAndASolutionPasses() async throws {
        let cli = try CLIHarness()
        let first = try await cli.run(["check", "echo-lines", "--color", "never"])
        #expect(first.status == 1, "failed checks exit 1: \(first.stdout)\(first.stderr)")
        #expect(first.stderr.contains("from the starter"))
        #expect(first.stdout.contains("✘ one line"))
        #expect(first.stdout.contains("output ended after 0 lines; expected 1"))
        #expect(first.stdout.contains("echo-lines: not written yet"), "the program's own message is shown: \(first.stdout)")
        #expect(first.stdout.contains("sent:\n        hello\n    received:"))

        let folder = cli.workspace.appendingPathComponent("echo-lines")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("main.go"))
        try FileManager.default.copyItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go/main.go"),
                                         to: folder.appendingPathComponent("main.go"))
        let second = try await cli.run(["check", "--color", "never", "--seed", "7"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("seed 7"))
        #expect(second.stdout.contains("Passed: 3/3 stages, 10/10 points."))

        let progress = try await cli.json(["progress"])
        let exercises = progress["exercises"] as? [[String: Any]] ?? []
        let echo = exercises.first { $0["id"] as? String == "echo-lines" }
        #expect(echo?["attempts"] as? Int == 2, "\(progress)")
        #expect(echo?["passed"] as? Bool == true)
    }

    @Test func aBuildFailureShowsTheCompilerMessage() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "package main\n\nfunc main() { x := }\n".write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["check", "echo-lines", "--dir", folder.path, "--color", "never", "--json"])
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let reason = ((json?["build"] as? [String: Any])?["failed"] as? [String: Any])?["reason"] as? String ?? ""
        #expect(reason.contains("main.go:3:"), "the compiler's file and line: \(reason)")
        let stages = json?["stages"] as? [[String: Any]] ?? []
        #expect(stages.count == 3 && stages.allSatisfy { $0["status"] as? String == "not_run" })
    }

    /// A check that waits on the program says so once the wait has lasted, with its bound.
    @Test func aCheckWaitingOnTheProgramSaysWhatItWaitsFor() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("slow")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            package main

            import "time"

            func main() { time.Sleep(2500 * time.Millisecond) }
            """.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["check", "echo-lines", "--dir", folder.path, "--stage", "1", "--color", "never"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  ⋯ one line: waiting for the program to finish (at most "), "\(result.stdout)")
    }
}
