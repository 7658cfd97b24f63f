import Foundation
import Testing

/// `course grade` on the `tally` fixture, whose program must talk to a companion service (the
/// counter fixture piece's): sandboxed, the service runs in the worker's private network
/// namespace and the program reaches it at `$COUNTER_ADDR`; unsandboxed, on the host's
/// loopback. Either way the checks read the service's recording (a program that counts by
/// itself is caught), and nothing is left: no process, no cgroup, no scratch folder.
@Suite(.serialized) struct CompanionServiceGradeTests {
    static func gradeTally(sandboxed: Bool) async throws {
        let cli = try CLIHarness()
        let exercise = cli.courseRoot.appendingPathComponent("Exercises/tally")
        let subs = cli.courseRoot.deletingLastPathComponent().appendingPathComponent("subs")
        try FileManager.default.createDirectory(at: subs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("solution/go"), to: subs.appendingPathComponent("good"))
        for mutant in ["counts-locally", "connection-per-word", "ignores-address"] {
            try FileManager.default.copyItem(at: exercise.appendingPathComponent("mutants/\(mutant)"), to: subs.appendingPathComponent(mutant))
        }
        let reports = cli.courseRoot.deletingLastPathComponent().appendingPathComponent("report")
        let folders = ["good", "counts-locally", "connection-per-word", "ignores-address"].map { subs.appendingPathComponent($0).path }
        let result = try await cli.run(["grade", "tally"] + folders + ["--jobs", "2", "--report-dir", reports.path, "--seed", "3"]
                                 + (sandboxed ? ["--require-sandbox"] : ["--no-sandbox"]))
        #expect(result.status == 0, "\(result.stderr)")
        let results = try GradeCommandTests.results(reports)
        #expect(results.count == 4)
        let good = GradeCommandTests.failures(results["good"])
        #expect(good.isEmpty && (results["good"]?["stages"] as? [[String: Any]])?.count == 2, "the solution passes: \(good)")
        let local = GradeCommandTests.failures(results["counts-locally"]).first ?? ""
        #expect(local.hasPrefix("the counter service at 127.0.0.1:") && local.hasSuffix("received no command"), "\(local)")
        let perWord = GradeCommandTests.failures(results["connection-per-word"]).first ?? ""
        #expect(perWord.contains("opened 4 connections to the counter service for 4 words"), "\(perWord)")
        let fixed = GradeCommandTests.failures(results["ignores-address"]).first ?? ""
        #expect(fixed.contains("exited with status 1"), "\(fixed)")
        #expect((results["good"]?["sandbox"] as? [String: Any])?["enabled"] as? Bool == sandboxed)
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
        #expect(GradeCommandTests.leftoverCgroups().isEmpty, "cgroups left behind: \(GradeCommandTests.leftoverCgroups())")
        let scratch = try FileManager.default.contentsOfDirectory(atPath: cli.environment["TMPDIR"]!).filter { $0.hasPrefix("course-") }
        #expect(scratch.isEmpty, "scratch left in the temporary folder: \(scratch)")
    }

    @Test func sandboxedTheServiceIsInTheWorkersNetworkAndTheChecksReadIt() async throws {
        try await Self.gradeTally(sandboxed: true)
    }

    @Test func unsandboxedTheSameChecksHold() async throws {
        try await Self.gradeTally(sandboxed: false)
    }
}
