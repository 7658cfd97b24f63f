import Foundation
import Grading
import Testing

/// `course grade --all-stages`: every stage runs even after one fails, so a class's scores
/// say what each submission can do; a stage after a failed one starts the program afresh;
/// the manifest can make it the default; reports and the gradebook say which mode was used;
/// `course check` keeps stopping at the first failure.
@Suite(.serialized) struct PartialCreditTests {
    let cli: CLIHarness
    let base: URL

    init() throws {
        cli = try CLIHarness()
        base = cli.courseRoot.deletingLastPathComponent()
    }

    /// The echo-lines solution with a mutant's files laid over it.
    func mutant(_ name: String) throws -> String {
        let exercise = cli.courseRoot.appendingPathComponent("Exercises/echo-lines")
        let folder = base.appendingPathComponent("subs/\(name)")
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: exercise.appendingPathComponent("solution/go"), to: folder)
        for file in try FileManager.default.contentsOfDirectory(atPath: exercise.appendingPathComponent("mutants/\(name)").path) {
            let target = folder.appendingPathComponent(file)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: exercise.appendingPathComponent("mutants/\(name)/\(file)"), to: target)
        }
        return folder.path
    }

    func grade(_ folders: [String], _ options: [String], exercise: String = "echo-lines") async throws -> [String: Any] {
        try await grade(folders, options, exercise: exercise, reports: base.appendingPathComponent("report-\(UUID().uuidString.prefix(6))"))
    }

    func grade(_ folders: [String], _ options: [String], exercise: String = "echo-lines", reports: URL) async throws -> [String: Any] {
        let result = try await cli.run(["grade", exercise] + folders + ["--report-dir", reports.path, "--seed", "9", "--no-sandbox"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(GradeCommandTests.results(reports).values.first)
    }

    static func stageStatuses(_ submission: [String: Any]) -> [String] {
        (submission["stages"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "?" }
    }

    @Test func everyStageRunsAfterAFailureAndScoresWhatWorks() async throws {
        // Fails the edge cases (stage 2) only: staged, the hidden large input (5 of 10 points)
        // never runs.
        let folder = try mutant("ascii-only")
        let staged = try await grade([folder], [])
        #expect(Self.stageStatuses(staged) == ["passed", "failed", "not_run"])
        #expect(staged["mode"] as? String == "staged")
        let reports = base.appendingPathComponent("report-all")
        let all = try await grade([folder], ["--all-stages"], reports: reports)
        #expect(Self.stageStatuses(all) == ["passed", "failed", "passed"])
        #expect(all["mode"] as? String == "all-stages")
        // Every report says how the stages were run.
        let junit = try String(contentsOf: reports.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"<property name="mode" value="all-stages"/>"#), "\(junit)")
        let page = try String(contentsOf: reports.appendingPathComponent("html/ascii-only.html"), encoding: .utf8)
        #expect(page.contains("every stage runs (--all-stages)"))
        let summary = try String(contentsOf: reports.appendingPathComponent("html/index.html"), encoding: .utf8)
        #expect(summary.contains("every stage runs (--all-stages)"))
        let gradescope = try String(contentsOf: reports.appendingPathComponent("gradescope/ascii-only/results.json"), encoding: .utf8)
        #expect(gradescope.contains("Every stage was graded"), "\(gradescope)")
        let scores = [staged, all].map { ($0["stages"] as? [[String: Any]] ?? []).compactMap { $0["checks"] as? [[String: Any]] }
            .flatMap { $0 }.reduce(0.0) { $0 + ($1["score"] as? Double ?? 0) } }
        #expect(scores == [4, 9], "staged 4/10, every stage 9/10: \(scores)")
    }

    @Test func theManifestCanMakeItTheDefaultAndTheFlagTurnsItOff() async throws {
        let manifest = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/exercise.yaml")
        try (try String(contentsOf: manifest, encoding: .utf8) + "all_stages: true\n").write(to: manifest, atomically: true, encoding: .utf8)
        let folder = try mutant("ascii-only")
        #expect(Self.stageStatuses(try await grade([folder], [])) == ["passed", "failed", "passed"])
        #expect(Self.stageStatuses(try await grade([folder], ["--no-all-stages"])) == ["passed", "failed", "not_run"])
        // The learner's loop follows the manifest too: an exercise whose stages are separate
        // measures (users-tests' groups of bugs) shows them all, and still fails.
        let check = try await cli.run(["check", "echo-lines", "--dir", folder, "--json"])
        #expect(check.status == 1)
        let attempt = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(Self.stageStatuses(attempt) == ["passed", "failed", "passed"] && attempt["mode"] as? String == "all-stages", "\(check.stdout)")
    }

    /// An echo server that exits on its fourth connection: the concurrent clients of stage 2
    /// kill it. Staged, the restart stage never runs; with every stage, it runs on a fresh
    /// start of the program and passes (without the fresh start it would meet a dead server).
    @Test func aStageAfterAFailedOneStartsTheProgramAfresh() async throws {
        let folder = base.appendingPathComponent("subs/dies-on-fourth")
        try GradeServerTests.goProgram("""
            func main() {
            \tlistener, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tfor served := 1; ; served++ {
            \t\tconn, err := listener.Accept()
            \t\tif err != nil {
            \t\t\tcontinue
            \t\t}
            \t\tif served == 4 {
            \t\t\tfmt.Println("fourth connection: exiting")
            \t\t\tos.Exit(3)
            \t\t}
            \t\tgo io.Copy(conn, conn)
            \t}
            }

            """, imports: ["fmt", "io", "net", "os"], in: folder)
        let staged = try await grade([folder.path], [], exercise: "echo-server")
        #expect(Self.stageStatuses(staged) == ["passed", "failed", "not_run"])
        let all = try await grade([folder.path], ["--all-stages"], exercise: "echo-server")
        #expect(Self.stageStatuses(all) == ["passed", "failed", "passed"], "\(GradeCommandTests.failures(all))")
    }
}
