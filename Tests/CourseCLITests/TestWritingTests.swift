import Foundation
import Grading
import Testing

/// `users-tests` grades a learner's Go tests by the users API bugs they catch. Graded the way
/// an instructor grades (`course grade`, sandboxed when bubblewrap is there): three
/// learner-style suites get the scores their tests earn, and every refusal of the README
/// holds (a suite that fails on the correct program, in any of the ways it can, scores zero).
extension GoBuildingSuites {
@Suite struct TestWritingTests {
    static let exercise = CLIHarness.repositoryRoot.appendingPathComponent("Exercises/users-tests")
    static let bugCount = 21.0

    /// A submission: the starter's package with these test files (the fixtures under
    /// `mutants/`, or the sample solution's).
    static func submission(_ name: String, tests: [URL], in base: URL) throws -> URL {
        let folder = base.appendingPathComponent(name)
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("starter/go"), to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("example_test.go"))
        for test in tests { try FileManager.default.copyItem(at: test, to: folder.appendingPathComponent(test.lastPathComponent)) }
        return folder
    }

    static func fixture(_ name: String) -> [URL] {
        ["handlers_test.go", "integration_test.go"].map { exercise.appendingPathComponent("mutants/\(name)/\($0)") }
    }

    static let sample = ["handlers_test.go", "integration_test.go"].map { exercise.appendingPathComponent("solution/go/\($0)") }

    /// Grades the folders in one `course grade` run and returns each result by folder name.
    static func grade(_ folders: [URL], cli: CLIHarness, reports: URL) async throws -> ([String: [String: Any]], CLIHarness.Result) {
        var arguments = ["grade", "users-tests"] + folders.map(\.path) + ["--report-dir", reports.path, "--format", "json", "--jobs", "1"]
        if case .success = Sandbox.detect() { arguments.append("--require-sandbox") }
        let result = try await cli.run(arguments, environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        return (try GradeCommandTests.results(reports), result)
    }

    /// Checks by status, as "stage/check".
    static func checks(_ submission: [String: Any]?, status: String) -> [String] {
        let stages = submission?["stages"] as? [[String: Any]] ?? []
        return stages.flatMap { stage in
            ((stage["checks"] as? [[String: Any]]) ?? []).filter { $0["status"] as? String == status }
                .map { "\(stage["id"] as? String ?? "?")/\($0["id"] as? String ?? "?")" }
        }
    }

    /// The points a submission earned (its checks' scores added up).
    static func score(_ submission: [String: Any]?) -> Double {
        let stages = submission?["stages"] as? [[String: Any]] ?? []
        return stages.flatMap { ($0["checks"] as? [[String: Any]]) ?? [] }.reduce(0) { $0 + ($1["score"] as? Double ?? 0) }
    }

    @Test func weakMediumAndStrongSuitesEarnTheBugsTheyCatch() async throws {
        let cli = try CLIHarness()
        let base = cli.workspace.deletingLastPathComponent().appendingPathComponent("subs")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let weak = try Self.submission("weak", tests: Self.fixture("happy-path"), in: base)
        // Medium: the sample's handler tests without its integration test (nothing concurrent).
        let medium = try Self.submission("medium", tests: [Self.sample[0]], in: base)
        let strong = try Self.submission("strong", tests: Self.sample, in: base)
        let started = Date()
        let (results, run) = try await Self.grade([weak, medium, strong], cli: cli, reports: base.appendingPathComponent("reports"))
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        print("users-tests: three submissions graded in \(Int(seconds)) s")

        #expect(Self.checks(results["strong"], status: "passed").count == Int(Self.bugCount) + 3, "\(Self.checks(results["strong"], status: "failed"))")
        #expect(Self.score(results["strong"]) == 24, "\(Self.score(results["strong"]))")
        #expect(Self.score(results["medium"]) == 22, "\(Self.score(results["medium"]))")

        let mediumMissed = Self.checks(results["medium"], status: "failed")
        #expect(mediumMissed == ["ids-concurrency/no-lock", "ids-concurrency/email-check-outside-lock"], "\(mediumMissed)")

        let weakCaught = Self.checks(results["weak"], status: "passed").filter { !$0.hasPrefix("runs/") }
        #expect(weakCaught == ["validation/own-email-conflict", "status-codes/delete-200-body", "status-codes/wrapped-user", "ids-concurrency/sample-users"], "\(weakCaught)")
        // A miss is named by its one-line description, never by its code.
        let weakFailures = GradeCommandTests.failures(results["weak"])
        #expect(weakFailures.contains("every test passes on a program with this bug: a duplicate email differing only in case is accepted"), "\(weakFailures)")
        #expect(!weakFailures.joined().contains("func "))
        // The hidden stage counts, but says nothing about its bugs.
        #expect(weakFailures.filter { $0 == Grader.hiddenFailure.message }.count == 2, "\(weakFailures)")
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }

    /// Each way a suite can fail on the correct program, and each way it can catch nothing,
    /// scores zero, for the reason the README gives.
    @Test func refusedSuitesScoreZero() async throws {
        let cli = try CLIHarness()
        let base = cli.workspace.deletingLastPathComponent().appendingPathComponent("subs")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let expected: [(fixture: String, failed: String, says: String)] = [
            ("empty-suite", "runs/catch-one", "catch no bug"),
            ("skip-suite", "runs/catch-one", "catch no bug"),
            ("reads-source", "runs/pass-repeatedly", "no such file or directory"),
            ("exits-always", "runs/pass-repeatedly", "exited with status 1"),
            ("order-dependent", "runs/pass-repeatedly", "--- FAIL: TestBGetTheCreatedUser"),
            ("sleeps-long", "runs/pass-repeatedly", "test timed out after 10s"),
            ("racy-suite", "runs/pass-race", "DATA RACE"),
        ]
        let folders = try expected.map { try Self.submission($0.fixture, tests: Self.fixture($0.fixture), in: base) }
        let (results, run) = try await Self.grade(folders, cli: cli, reports: base.appendingPathComponent("reports"))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        for (fixture, failed, says) in expected {
            let submission = results[fixture]
            #expect(Self.score(submission) == 0, "\(fixture) scored \(Self.score(submission))")
            #expect(Self.checks(submission, status: "failed").contains(failed), "\(fixture): \(Self.checks(submission, status: "failed"))")
            let stages = submission?["stages"] as? [[String: Any]] ?? []
            let text = String(decoding: try JSONSerialization.data(withJSONObject: stages), as: UTF8.self)
            #expect(text.contains(says), "\(fixture) does not say «\(says)»: \(GradeCommandTests.failures(submission).prefix(3))")
        }
        #expect(cli.processesLeft.isEmpty, "left running: \(cli.processesLeft)")
    }
}
}
