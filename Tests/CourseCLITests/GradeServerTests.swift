import Foundation
import Grading
import Testing

/// `course grade` on a server exercise: a program that never listens and one that crashes
/// mid-check each get a failing result that says exactly that; the sample solution in the
/// same run passes; nothing any of them started survives.
@Suite(.serialized) struct GradeServerTests {
    /// A Go submission whose `main` is `body`; `marker` names a helper process it starts, so
    /// the test can look for survivors.
    static func goProgram(_ body: String, imports: [String], in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = "package main\n\nimport (\n" + imports.map { "\t\"\($0)\"\n" }.joined() + ")\n\n" + body
        try source.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
    }

    /// Starts `sh -c 'sleep 300; true' MARKER` in the background: a child to be torn down.
    static func helper(_ marker: String) -> String {
        "\tif err := exec.Command(\"sh\", \"-c\", \"sleep 300; true\", \"\(marker)\").Start(); err != nil {\n\t\tpanic(err)\n\t}\n"
    }

    @Test func serversThatNeverListenOrCrashFailPreciselyBesideAGoodOne() async throws {
        let cli = try CLIHarness()
        let base = cli.courseRoot.deletingLastPathComponent()
        let subs = base.appendingPathComponent("subs")
        let marker = "server\(UUID().uuidString.prefix(8))"
        try FileManager.default.copyItem(at: cli.courseRoot.appendingPathComponent("Exercises/echo-server/solution/go"),
                                         to: subs.appendingPathComponent("good"))
        try Self.goProgram("""
            func main() {
            \(Self.helper(marker + "-silent"))\tfmt.Println("starting up, any minute now")
            \ttime.Sleep(time.Hour)
            }

            """, imports: ["fmt", "os/exec", "time"], in: subs.appendingPathComponent("silent"))
        try Self.goProgram("""
            func main() {
            \(Self.helper(marker + "-crasher"))\tlistener, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tfor {
            \t\tconn, err := listener.Accept()
            \t\tif err != nil {
            \t\t\tcontinue
            \t\t}
            \t\tgo func(conn net.Conn) {
            \t\t\tline, err := bufio.NewReader(conn).ReadString('\\n')
            \t\t\tif err == nil {
            \t\t\t\tpanic("cannot handle " + line)
            \t\t\t}
            \t\t\tconn.Close()
            \t\t}(conn)
            \t}
            }

            """, imports: ["bufio", "net", "os", "os/exec"], in: subs.appendingPathComponent("crasher"))

        try Self.goProgram("""
            func main() {
            \tlistener, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tfor {
            \t\tconn, _ := listener.Accept()
            \t\tline, err := bufio.NewReader(conn).ReadString('\\n')
            \t\tif err == nil {
            \t\t\tconn.Write([]byte(line))
            \t\t\tfmt.Println("done after one line")
            \t\t\tos.Exit(3)
            \t\t}
            \t\tconn.Close()
            \t}
            }

            """, imports: ["bufio", "fmt", "net", "os"], in: subs.appendingPathComponent("quitter"))

        let reports = base.appendingPathComponent("report")
        let folders = ["good", "silent", "crasher", "quitter"].map { subs.appendingPathComponent($0).path }
        let started = Date()
        let result = try await cli.run(["grade", "echo-server"] + folders + ["--jobs", "2", "--report-dir", reports.path, "--seed", "9"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "grade exits 0 once every submission is graded: \(result.stderr)")
        let results = try GradeCommandTests.results(reports)
        #expect(results.count == 4)
        #expect(results["good"]?["stages"].map { ($0 as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "passed" } } == true,
                "the solution passes every stage beside the broken ones: \(GradeCommandTests.failures(results["good"]))")

        let silent = GradeCommandTests.failures(results["silent"]).first ?? ""
        #expect(silent.contains("never became ready") && silent.contains("within 4 seconds of starting"), "never ready: \(silent)")
        let silentBuild = results["silent"]?["build"] as? [String: Any]
        #expect(silentBuild?["notReady"] != nil, "the result says it never became ready: \(String(describing: silentBuild))")

        let crash = GradeCommandTests.failures(results["crasher"]).first ?? ""
        #expect(crash.contains("the server exited with status 2 during check 'one line comes back'"), "crash: \(crash)")
        let crashOutput = try String(contentsOf: reports.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(crashOutput.contains("cannot handle"), "the panic's own message reaches the report")

        // It passed check 1 and exited as it ended: found dead as the next check began (or,
        // on a slow machine, while it ran).
        let quit = GradeCommandTests.failures(results["quitter"]).first ?? ""
        #expect(quit.contains("the server exited with status 3 after check 'one line comes back'")
                    || quit.contains("the server exited with status 3 during check 'several lines on one connection'"), "quit: \(quit)")
        let quitChecks = (results["quitter"]?["stages"] as? [[String: Any]])?.dropFirst().first?["checks"] as? [[String: Any]] ?? []
        #expect(quitChecks.dropFirst().allSatisfy { (($0["failure"] as? [String: Any])?["message"] as? String)?.hasPrefix("the server is not running: it exited with status 3") == true },
                "later checks say the server is gone: \(quitChecks)")

        let book = try Gradebook(url: reports.appendingPathComponent("gradebook.sqlite"))
        #expect(try book.classTable(exercise: "echo-server").count == 4, "every submission is in the gradebook")
        #expect(GradeCommandTests.processes(containing: marker).isEmpty, "left running: \(GradeCommandTests.processes(containing: marker))")
        #expect(GradeCommandTests.leftoverCgroups().isEmpty, "cgroups left behind: \(GradeCommandTests.leftoverCgroups())")
        #expect(elapsed < 90, "graded within the limits (took \(Int(elapsed)) s)")
    }
}
