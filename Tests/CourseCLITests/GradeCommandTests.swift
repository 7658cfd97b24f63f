import Foundation
import Grading
import Testing

/// `course grade` on a class with hostile submissions: each gets a failing result with a
/// precise reason, within the limits; nothing they start survives; the good submission in
/// the same run is graded as if alone.
@Suite(.serialized) struct GradeCommandTests {
    /// A submission that is a shell script (any language may be graded).
    static func script(_ body: String, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "track: shell\nbuild: \"\"\nrun: sh main.sh\n".write(to: folder.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        try body.write(to: folder.appendingPathComponent("main.sh"), atomically: true, encoding: .utf8)
    }

    static func results(_ folder: URL) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("results.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let submissions = object?["submissions"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: submissions.map { ($0["learner"] as? String ?? "?", $0) })
    }

    /// The failure messages of every check that did not pass, in order.
    static func failures(_ submission: [String: Any]?) -> [String] {
        let stages = submission?["stages"] as? [[String: Any]] ?? []
        return stages.flatMap { ($0["checks"] as? [[String: Any]]) ?? [] }
            .filter { $0["status"] as? String != "passed" }
            .compactMap { ($0["failure"] as? [String: Any])?["message"] as? String }
    }

    static func processes(containing marker: String) -> [String] {
        CLIHarness.processes { command, _ in command.contains(marker) }
    }

    /// `course-PID-…` cgroups whose creator has ended: left behind. (Those of a live `course`
    /// belong to a run still going, such as another test's.)
    static func leftoverCgroups() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/pids")) ?? []
        return names.filter { name in
            let parts = name.split(separator: "-")
            guard parts.count >= 3, parts[0] == "course", let pid = Int32(parts[1]) else { return false }
            return kill(pid, 0) != 0
        }
    }

    @Test func hostileSubmissionsFailWithAReasonAndLeaveNothingBehind() async throws {
        let cli = try CLIHarness()
        let base = cli.courseRoot.deletingLastPathComponent()
        let subs = base.appendingPathComponent("subs")
        let marker = "hostile\(UUID().uuidString.prefix(8))"
        let secret = base.appendingPathComponent("secret-\(marker).txt")
        try "the grader's secret \(marker)".write(to: secret, atomically: true, encoding: .utf8)
        // In a folder of its own: the sandbox shows the folders above the work folder (as
        // empty ones it makes), so a file directly in `base` would land in its throwaway root.
        let outside = base.appendingPathComponent("elsewhere/written-\(marker).txt")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)

        try FileManager.default.copyItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go"),
                                         to: subs.appendingPathComponent("good"))
        try Self.script("f() { f | f & }; f\nsleep 30\n", in: subs.appendingPathComponent("forkbomb"))
        try Self.script("while :; do :; done\n", in: subs.appendingPathComponent("loop"))
        try Self.script("perl -e '$x = \"x\" x (1 << 30); sleep 10'\n", in: subs.appendingPathComponent("memoryhog"))
        try Self.script("head -c 1073741824 /dev/zero | tr '\\\\0' x\n", in: subs.appendingPathComponent("flood"))
        try Self.script("(setsid sh -c 'sleep 300; true' \(marker) &)\nsh -c 'sleep 300; true' \(marker)-child &\necho started\n",
                        in: subs.appendingPathComponent("daemon"))
        try Self.script("cat \(secret.path) || exit 3\ncat\n", in: subs.appendingPathComponent("reader"))
        try Self.script("echo pwned > \(outside.path) || exit 4\ncat\n", in: subs.appendingPathComponent("writer"))
        try Self.script("read line; echo \"$line\"; kill -SEGV $$\n", in: subs.appendingPathComponent("crasher"))

        let reports = base.appendingPathComponent("report")
        let folders = try FileManager.default.contentsOfDirectory(atPath: subs.path).sorted().map { subs.appendingPathComponent($0).path }
        let started = Date()
        let result = try await cli.run(["grade", "echo-lines"] + folders + ["--jobs", "2", "--report-dir", reports.path, "--seed", "42"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "grade exits 0 once every submission is graded: \(result.stderr)")
        #expect(result.stderr.contains("seed 42"), "the seed is printed: \(result.stderr)")
        let results = try Self.results(reports)
        #expect(results.count == 9)
        let book = try Gradebook(url: reports.appendingPathComponent("gradebook.sqlite"))
        #expect(try book.classTable(exercise: "echo-lines").count == 9, "every submission is in the gradebook")
        #expect(try book.latestHash(exercise: "echo-lines", path: subs.appendingPathComponent("good").path)?.count == 64)
        for file in ["junit.xml", "results.csv", "html/index.html", "html/good.html", "gradescope/good/results.json"] {
            #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent(file).path), "report \(file) is written")
        }

        #expect(results["good"]?["stages"].map { ($0 as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "passed" } } == true,
                "the good submission passes every stage beside hostile ones: \(Self.failures(results["good"]))")
        let bomb = Self.failures(results["forkbomb"]).first ?? ""
        #expect(bomb.contains("more than 32 processes"), "fork bomb: \(bomb)")
        #expect(Self.failures(results["loop"]).first?.contains("did not finish within") == true, "loop: \(Self.failures(results["loop"]))")
        #expect(Self.failures(results["memoryhog"]).first?.contains("memory limit of 256 MB") == true, "hog: \(Self.failures(results["memoryhog"]))")
        let flood = results["flood"]
        // Its gigabyte passes through in time on a quiet machine (the output is wrong); on a
        // busy one the stage's 6 s run out first. Either way it fails, and what it wrote was
        // counted and cut to the exercise's 512 KB, never kept.
        let floodFailure = Self.failures(flood).first ?? ""
        #expect(["line 1 differs", "did not finish within", "time limit of 6 s ran out"].contains { floodFailure.contains($0) },
                "flood: \(floodFailure)")
        let floodOutput = flood?["programOutput"] as? [String: Any]
        let kept = ((floodOutput?["head"] as? String)?.utf8.count ?? 0) + ((floodOutput?["tail"] as? String)?.utf8.count ?? 0)
        #expect((floodOutput?["omittedBytes"] as? Int ?? 0) > 10_000_000 && kept <= 512 * 1024,
                "the flood was counted and cut, not kept: \(kept) bytes kept")
        #expect(Self.failures(results["crasher"]).first?.contains("SIGSEGV") == true, "crash: \(Self.failures(results["crasher"]))")
        #expect(Self.failures(results["reader"]).first?.contains("exited with status 3") == true, "the reader cannot read the secret: \(Self.failures(results["reader"]))")
        #expect(Self.failures(results["writer"]).first?.contains("exited with status 4") == true, "the writer cannot write outside: \(Self.failures(results["writer"]))")
        #expect(Self.failures(results["daemon"]).first?.contains("line 1 differs") == true, "daemon: \(Self.failures(results["daemon"]))")
        #expect(!FileManager.default.fileExists(atPath: outside.path), "nothing is written outside the submission")
        let everything = try String(contentsOf: reports.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(!everything.contains("the grader's secret"), "the secret never reaches a report")
        #expect(Self.processes(containing: marker).isEmpty, "left running: \(Self.processes(containing: marker))")
        #expect(Self.leftoverCgroups().isEmpty, "cgroups left behind: \(Self.leftoverCgroups())")
        #expect(elapsed < 120, "a class of hostile submissions is graded within the limits (took \(Int(elapsed)) s)")
    }

    @Test func aSubmissionThatIsNotAFolderIsAnInputError() async throws {
        let cli = try CLIHarness()
        let result = try await cli.run(["grade", "echo-lines", "/nonexistent/sub"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/sub is not a folder"))
        let unknown = try await cli.run(["grade", "echo-line", "/tmp"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'echo-lines'"), "\(unknown.stderr)")
        let negative = try await cli.run(["grade", "echo-lines", "/tmp", "--jobs", "-3"])
        #expect(negative.status == 2 && negative.stderr.contains("--jobs must be between 1 and 64 (got -3)"), "\(negative.stderr)")
    }
}
