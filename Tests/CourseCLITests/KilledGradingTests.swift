import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` of `course grade` in the middle of a class: its workers and their programs end
/// with it, and what it could not clean up (its scratch folder with the work copies and
/// worker files, its cgroups) is removed by the next run, which says so.
@Suite(.serialized) struct KilledGradingTests {
    @Test func theNextRunRemovesWhatAKilledRunLeft() async throws {
        let cli = try CLIHarness()
        let base = cli.courseRoot.deletingLastPathComponent()
        let temporary = URL(fileURLWithPath: cli.environment["TMPDIR"]!)
        let subs = base.appendingPathComponent("subs")
        for name in ["slow-a", "slow-b", "slow-c"] {
            try GradeCommandTests.script("sleep 30\ncat\n", in: subs.appendingPathComponent(name))
        }
        // ChildProcess, not Foundation's Process: its waitUntilExit can miss the exit of a
        // child killed with SIGKILL from a test runner and hang.
        let process = try ChildProcess.spawn(.init(
            arguments: [CLIHarness.binary.path, "grade", "echo-lines"] + ["slow-a", "slow-b", "slow-c"].map { subs.appendingPathComponent($0).path }
                + ["--jobs", "2", "--report-dir", base.appendingPathComponent("report").path],
            environment: cli.environment, stdout: .null, stderr: .null))
        defer {
            process.send(SIGKILL)
            _ = process.wait(timeout: 10)
        }

        // Wait until a program runs: a work copy exists in the run's scratch folder.
        func scratch() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter { $0.hasPrefix("course-scratch-") }
        }
        func workCopies() -> [String] {
            scratch().flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: temporary.appendingPathComponent(folder).path)) ?? [])
                    .filter { $0.hasPrefix("run-") }
            }
        }
        var waited = 0
        while waited < 1500 && (workCopies().isEmpty || cli.processesLeft.filter({ $0.contains("sleep 30") }).isEmpty) {
            usleep(20_000)
            waited += 1
        }
        #expect(!workCopies().isEmpty, "grading never started a program")
        process.send(SIGKILL)
        #expect(process.wait(timeout: 10) == .signaled(SIGKILL))

        // Its workers and their programs end with it.
        for _ in 0..<500 where !cli.processesLeft.isEmpty { usleep(20_000) }
        #expect(cli.processesLeft.isEmpty, "left running after kill -9: \(cli.processesLeft)")
        #expect(scratch().count == 1, "a killed run cannot remove its scratch folder: \(scratch())")

        // The next run removes it, and the cgroups, and says so.
        try FileManager.default.copyItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go"),
                                         to: subs.appendingPathComponent("good"))
        let next = try await cli.run(["grade", "echo-lines", subs.appendingPathComponent("good").path,
                                "--report-dir", base.appendingPathComponent("report2").path])
        #expect(next.status == 0, "\(next.stderr)")
        // (Other runs killed on this machine, a crash test's say, may be named beside it: cgroups are global.)
        let note = next.stderr.split(separator: "\n").first { $0.hasPrefix("note: removed what") } ?? ""
        #expect(note.contains("\(process.pid)") && note.contains("left behind: 1 scratch folder"), "\(next.stderr)")
        #expect(scratch().isEmpty, "scratch left: \(scratch())")
        #expect(GradeCommandTests.leftoverCgroups().isEmpty, "cgroups left: \(GradeCommandTests.leftoverCgroups())")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
