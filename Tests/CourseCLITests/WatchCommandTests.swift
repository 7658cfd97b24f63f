import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `course watch` as a learner uses it: a check at once, another each time the code is
/// saved (once per burst of writes), every run recorded, `q` quits leaving nothing running.
@Suite struct WatchCommandTests {
    func solution(_ cli: CLIHarness) -> URL {
        cli.courseRoot.appendingPathComponent("Exercises/echo-lines/solution/go/main.go")
    }

    func replace(_ file: URL, with source: URL) throws {
        let data = try Data(contentsOf: source)
        try data.write(to: file)
    }

    @Test func aSavedSolutionIsCheckedAgainAndQQuits() async throws {
        let cli = try CLIHarness()
        let watch = try WatchSession(cli, ["echo-lines"])
        try watch.waitFor("Waiting for changes…")
        #expect(watch.output.contains("watching \(cli.workspace.path)/echo-lines · run 1 · q quits"), "\(watch.output)")
        #expect(watch.output.contains("✘ one line"))
        #expect(watch.output.contains("Fix it and save: the check runs again."))

        try replace(cli.workspace.appendingPathComponent("echo-lines/main.go"), with: solution(cli))
        try watch.waitFor("All stages pass.")
        #expect(watch.output.contains("· run 2 (main.go changed) · q quits"), "\(watch.output)")
        #expect(watch.output.contains("Passed: 3/3 stages, 10/10 points."))
        #expect(watch.runs == 2)

        watch.send("q\n")
        let end = watch.exit(within: 10)
        #expect(end == .exited(0), "q quits with 0: \(watch.output)")
        #expect(watch.leftovers().isEmpty, "no process of the watcher is left: \(watch.leftovers())")

        let progress = try await cli.json(["progress"])
        let echo = (progress["exercises"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "echo-lines" }
        #expect(echo?["attempts"] as? Int == 2, "every run is an attempt: \(progress)")
        #expect(echo?["passed"] as? Bool == true)
    }

    @Test func aBurstOfWritesRunsTheCheckOnceAndScratchFilesNone() throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try replace(folder.appendingPathComponent("main.go"), with: solution(cli))
        let watch = try WatchSession(cli, ["echo-lines", "--dir", folder.path, "--stage", "1"])
        try watch.waitFor("Stages 1–1 pass")

        let main = folder.appendingPathComponent("main.go")
        for n in 1...5 {
            let handle = try FileHandle(forWritingTo: main)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("// edit \(n)\n".utf8))
            try handle.close()
            Thread.sleep(forTimeInterval: 0.06)
        }
        try watch.waitFor("Stages 1–1 pass", count: 2)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(watch.runs == 2, "five writes 60 ms apart are one run: \(watch.output)")

        // Editor scratch files and build output are not the learner's code.
        for scratch in [".main.go.swp", "main.go~", "4913", ".course-bin/program", ".git/index"] {
            let url = folder.appendingPathComponent(scratch)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(watch.runs == 2, "scratch files start no run: \(watch.output)")

        watch.send("q\n")
        #expect(watch.exit(within: 10) == .exited(0))
    }

    @Test func aFolderMadeWhileWatchingIsWatchedToo() throws {
        let cli = try CLIHarness()
        let watch = try WatchSession(cli, ["echo-lines", "--stage", "1"])
        try watch.waitFor("Waiting for changes…")
        let folder = cli.workspace.appendingPathComponent("echo-lines/internal")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try watch.waitFor("Waiting for changes…", count: 2)
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try watch.waitFor("Waiting for changes…", count: 3)
        #expect(watch.output.contains("(internal/notes.txt changed)"), "\(watch.output)")
        watch.send("q\n")
        #expect(watch.exit(within: 10) == .exited(0))
    }

    @Test func quittingDuringACheckStopsTheProgramAndRecordsNothing() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("slow")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            package main

            import "time"

            func main() { time.Sleep(60 * time.Second) }
            """.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        let watch = try WatchSession(cli, ["echo-lines", "--dir", folder.path])
        try watch.waitFor("Stage 1: Echo")
        // A plain sleep: a task's sleep can wake late when the test pool is busy, and the q
        // must come while the check still runs.
        usleep(300_000)
        let asked = Date()
        watch.send("q\n")
        let end = watch.exit(within: 20)
        #expect(end == .exited(0), "\(watch.output)")
        // The stage's own time limit is 6 s: quitting must not wait for it.
        #expect(Date().timeIntervalSince(asked) < 4, "quit took \(Date().timeIntervalSince(asked)) s")
        #expect(watch.leftovers().isEmpty, "the sleeping program was killed: \(watch.leftovers())")
        // Quitting is quiet: the program killed on the way out is not the learner's failure.
        #expect(!watch.output.contains("SIGKILL") && !watch.output.contains("✘") && !watch.output.contains("Not yet"), "\(watch.output)")
        let progress = try await cli.json(["progress"])
        let echo = (progress["exercises"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "echo-lines" }
        #expect(echo?["attempts"] as? Int ?? 0 == 0, "an abandoned run is no attempt: \(progress)")
    }

    /// `sed -i` saves through a temporary file (`sedhp8Tq5`) renamed over the real one:
    /// the header names the file that changed, never the temporary one.
    @Test func anEditorsTemporaryFileIsNeverTheFileThatChanged() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try replace(folder.appendingPathComponent("main.go"), with: solution(cli))
        let watch = try WatchSession(cli, ["echo-lines", "--dir", folder.path, "--stage", "1"])
        // The waits poll on a thread of their own, never on the cooperative pool.
        let edited = try await Blocking.run { () throws -> ChildProcess.Termination? in
            try watch.waitFor("Stages 1–1 pass")
            let sed = try ChildProcess.spawn(.init(arguments: ["/bin/sed", "-i", "s|^package main|package main // edited|", "main.go"],
                                                   environment: cli.environment, directory: folder.path))
            let end = sed.wait(timeout: 30)
            try watch.waitFor("Stages 1–1 pass", count: 2)
            return end
        }
        #expect(edited == .exited(0))
        #expect(watch.output.contains("· run 2 (main.go changed) ·"), "\(watch.output)")
        #expect(watch.output.range(of: "sed[A-Za-z0-9]{6}", options: .regularExpression) == nil,
                "the temporary file is not named: \(watch.output)")
        watch.send("q\n")
        #expect(await Blocking.run { watch.exit(within: 10) } == .exited(0))
    }

    /// On an 80×24 terminal, a stage with five failing checks: the first failure is on screen
    /// in full (what was sent, what came back, what was expected), the other four are one
    /// line each, the summary naming the first is there too, and nothing scrolled away.
    @Test func anEightyByTwentyFourScreenShowsTheFirstOfFiveFailuresInFull() async throws {
        var cli = try CLIHarness()
        cli.environment["PAGER"] = nil
        let cases = cli.courseRoot.appendingPathComponent("Exercises/echo-lines/cases/echo")
        for (name, text) in [("quote", "\"quoted\"\n"), ("spaces", "two  spaces\n"), ("tabs", "a\ttab\n")] {
            try text.write(to: cases.appendingPathComponent("\(name).in"), atomically: true, encoding: .utf8)
            try text.write(to: cases.appendingPathComponent("\(name).out"), atomically: true, encoding: .utf8)
        }
        // A module, as the course's starters are (a GOPATH folder gets a note of three rows).
        try "module echo-lines\n\ngo 1.19\n".write(to: cli.courseRoot.appendingPathComponent("Exercises/echo-lines/starter/go/go.mod"),
                                                 atomically: true, encoding: .utf8)
        let tmux = Tmux(environment: cli.environment)
        defer { tmux.kill() }
        let screen = try await Blocking.run { () throws -> String in
            try tmux.start(command: "\(CLIHarness.binary.path) watch echo-lines --stage 1; sleep 60", columns: 80, rows: 24)
            try tmux.waitFor("Waiting for changes", seconds: 90)
            return try tmux.plainScreen()
        }
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.first?.hasPrefix("watching ") == true && rows.first?.contains("· run 1") == true,
                "the header is the first row, nothing scrolled away: \(screen)")
        #expect(rows.count > 1 && rows[1].hasPrefix("Echo lines (echo-lines)"), "the header fits on one row of 80: \(screen)")
        // The first failing check (cases run in name order: one line) in full.
        #expect(screen.contains("  ✘ one line"), "\(screen)")
        #expect(screen.contains("output ended after 0 lines; expected 1"), "\(screen)")
        for part in ["sent:", "received:", "expected:", "echo-lines: not written yet"] {
            #expect(screen.contains(part), "the first failure shows '\(part)': \(screen)")
        }
        #expect(screen.components(separatedBy: "sent:").count == 2, "only the first failure in full: \(screen)")
        // The other four: one row each, with what went wrong.
        for name in ["quote", "spaces", "tabs", "three lines"] {
            let row = rows.filter { $0.hasPrefix("  ✘ \(name): output ended after 0 lines") }
            #expect(row.count == 1, "'\(name)' on one row: \(screen)")
        }
        #expect(screen.contains("Not yet: stage 1 'Echo': one line: output ended after 0 lines; expected 1"), "\(screen)")
        // Lines are wrapped between words, never cut by the edge of the terminal.
        #expect(rows.contains { $0.hasSuffix("(0/2") } ? rows.contains { $0.hasPrefix("points).") } : screen.contains("(0/2 points)."),
                "\(screen)")
        #expect(rows.first?.hasSuffix("q quits, enter runs again") == true, "the keys fit in the header: \(screen)")
    }

    @Test func theEndOfAPipedInputDoesNotQuitButSIGTERMDoes() throws {
        let cli = try CLIHarness()
        let watch = try WatchSession(cli, ["echo-lines", "--stage", "1"])
        try watch.waitFor("Waiting for changes…")
        watch.closeInput()
        #expect(watch.exit(within: 1) == nil, "still watching after the end of input")
        watch.child.send(SIGTERM)
        #expect(watch.exit(within: 10) == .exited(128 + SIGTERM))
    }

    @Test func onATerminalTheScreenIsClearedAndTheModeRestored() throws {
        var cli = try CLIHarness()
        cli.environment["PAGER"] = nil
        let folder = cli.workspace.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try replace(folder.appendingPathComponent("main.go"), with: solution(cli))
        let tmux = Tmux(environment: cli.environment)
        defer { tmux.kill() }
        let probe = "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '"
        try tmux.start(command: "\(CLIHarness.binary.path) watch echo-lines --stage 1 --dir \(folder.path); echo EXIT=$?; echo MODE: $(\(probe)); sleep 60")
        try tmux.waitFor("Still watching", seconds: 90)
        let first = try tmux.screen()
        #expect(first.contains("run 1") && first.contains("q quits, enter runs again"), "\(first)")
        #expect(first.contains("\u{1B}["), "colour on a terminal")
        try tmux.send("Enter")
        try tmux.waitFor("run 2", seconds: 90)
        try tmux.waitFor("Still watching", seconds: 90)
        let second = try tmux.screen()
        #expect(!second.contains("run 1"), "the screen is cleared before each run: \(second)")
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
        try tmux.waitFor("MODE:")
        let screen = try tmux.screen()
        #expect(screen.contains("MODE: icanon echo"), "the terminal is back in line mode: \(screen)")
    }

    @Test func ctrlCOnATerminalRestoresTheModeAndExits130() throws {
        var cli = try CLIHarness()
        cli.environment["PAGER"] = nil
        let tmux = Tmux(environment: cli.environment)
        defer { tmux.kill() }
        let probe = "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '"
        // The shell ignores SIGINT so it lives to report the status; course handles it itself.
        try tmux.start(command: "trap '' INT; \(CLIHarness.binary.path) watch echo-lines --stage 1; echo EXIT=$?; echo MODE: $(\(probe)); sleep 60")
        try tmux.waitFor("Waiting for changes", seconds: 90)
        try tmux.send("C-c")
        try tmux.waitFor("EXIT=130")
        try tmux.waitFor("MODE:")
        #expect(try tmux.screen().contains("MODE: icanon echo"))
    }
}
