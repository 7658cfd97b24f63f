import Foundation
import Grading
import Testing

/// A `race: true` stage runs the program built with Go's race detector: a store without a
/// lock fails it every time, not when the scheduler happens to interleave badly, with the
/// two conflicting accesses shown as lines of the learner's files; in the sandbox too.
extension GoBuildingSuites {
@Suite struct RaceDetectorTests {
    /// The users-api sample solution with the no-lock mutant's store laid over it.
    static func unlockedStore(in base: URL) throws -> URL {
        let folder = base.appendingPathComponent("nolock")
        let exercise = CLIHarness.repositoryRoot.appendingPathComponent("Exercises/users-api")
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("solution/go"), to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("store.go"))
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("mutants/no-lock/store.go"), to: folder.appendingPathComponent("store.go"))
        return folder
    }

    /// Pinned to one CPU, the worst case for seeing goroutines run at once (a loaded machine
    /// or a grader limited to one core): the detector must still report the race every time.
    @Test func anUnlockedStoreFailsTwentyRunsOutOfTwentyOnOneCPU() async throws {
        var cli = try CLIHarness()
        cli.environment["COURSE_ROOT"] = CLIHarness.repositoryRoot.path
        let folder = try Self.unlockedStore(in: cli.workspace.deletingLastPathComponent())
        var failed = 0
        var outputs: [String] = []
        for _ in 0..<20 {
            let result = try await cli.shell("taskset -c 0 \"$COURSE\" check users-api --dir '\(folder.path)' --color never")
            if result.status != 0, result.stdout.contains("✘ no data race (Go's race detector, go build -race)"),
               result.stdout.range(of: #"main\.\(\*Store\)\.\w+\(\)  store\.go:\d+"#, options: .regularExpression) != nil {
                failed += 1
            } else {
                outputs.append(result.stdout)
            }
        }
        #expect(failed == 20, "runs that did not fail on the race: \(outputs.first ?? "")")
        #expect(cli.processesLeft.isEmpty)
    }

    @Test func theRaceDetectorWorksInTheSandbox() async throws {
        guard case .success = Sandbox.detect() else { return }
        let cli = try CLIHarness()
        let base = cli.workspace.deletingLastPathComponent()
        let subs = base.appendingPathComponent("subs")
        try FileManager.default.createDirectory(at: subs, withIntermediateDirectories: true)
        let folder = try Self.unlockedStore(in: subs)
        try FileManager.default.copyItem(at: CLIHarness.repositoryRoot.appendingPathComponent("Exercises/users-api/solution/go"),
                                         to: subs.appendingPathComponent("locked"))
        let reports = base.appendingPathComponent("report")
        let result = try await cli.run(["grade", "users-api", folder.path, subs.appendingPathComponent("locked").path,
                                        "--require-sandbox", "--report-dir", reports.path, "--format", "json"],
                                       environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let results = try GradeCommandTests.results(reports)
        let failures = GradeCommandTests.failures(results["nolock"])
        #expect(failures.contains { $0.hasPrefix("Go's race detector found a data race") }, "\(failures)")
        #expect(GradeCommandTests.failures(results["locked"]).isEmpty, "\(GradeCommandTests.failures(results["locked"]))")
        let stages = results["locked"]?["stages"] as? [[String: Any]] ?? []
        let checks = (stages.last?["checks"] as? [[String: Any]]) ?? []
        #expect(checks.contains { $0["id"] as? String == RaceDetector.checkID && $0["status"] as? String == "passed" }, "\(checks)")
    }
}
}
