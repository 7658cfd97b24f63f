import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `course` in a real terminal (tmux): the lesson goes through `less`, a key press reaches
/// it, and quitting records the lesson as read with the time it was open.
@Suite struct PagerTests {
    @Test func aLessonInATerminalIsPagedAndCountsOnceQuit() async throws {
        var cli = try CLIHarness()
        // Long enough that less -F does not quit by itself on a 30-line screen.
        let long = "# Channels\n\n" + (1...80).map { "Paragraph \($0) about channels.\n" }.joined(separator: "\n")
        try long.write(to: cli.courseRoot.appendingPathComponent("Curriculum/lessons/channels.md"), atomically: true, encoding: .utf8)
        cli.environment["PAGER"] = nil
        let tmux = Tmux(environment: cli.environment)
        defer { tmux.kill() }
        try tmux.start(command: "\(CLIHarness.binary.path) lesson channels; echo EXIT=$?; sleep 60")
        try tmux.waitFor("Paragraph 1 about channels")
        #expect(try tmux.screen().contains("\u{1B}["), "colour on a terminal")
        #expect(!(try tmux.screen().contains("EXIT=")), "still in the pager")
        #expect((try await cli.json(["progress"]))["lessonsRead"] as? Int == 0, "not read until the pager is closed")
        try await Task.sleep(nanoseconds: 1_200_000_000)
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")
        let lessons = (try await cli.json(["progress"]))["lessons"] as? [[String: Any]] ?? []
        let channels = lessons.first { $0["id"] as? String == "channels" }
        #expect(channels?["read"] as? Bool == true)
        #expect((channels?["readingSeconds"] as? Double ?? 0) >= 1, "the time the pager was open is recorded")
    }
}

/// A private tmux server (its own socket) that is always killed.
struct Tmux {
    let socket = "course-test-\(UUID().uuidString.prefix(8))"
    let environment: [String: String]

    /// Runs a tmux client command and returns what it printed. Output goes through a file,
    /// not a pipe: the command that starts the server forks a daemon that would inherit a
    /// pipe and hold it open forever.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        var env = environment
        env["TERM"] = "xterm-256color"
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        let client = try ChildProcess.spawn(.init(arguments: ["tmux", "-L", socket] + arguments, environment: env,
                                                  stdout: .file(output), stderr: .file(output, append: true)))
        guard client.wait(timeout: 10) != nil else {
            client.sendToGroup(SIGKILL)
            client.wait()
            throw CLIError("tmux \(arguments.joined(separator: " ")) did not finish in 10 s")
        }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    func start(command: String, columns: Int = 90, rows: Int = 30) throws {
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted()
        try run(["new-session", "-d", "-x", String(columns), "-y", String(rows), "env"] + env + ["TERM=xterm-256color", "sh", "-c", command])
    }

    func screen() throws -> String { try run(["capture-pane", "-p", "-e"]) }

    /// The screen as text, without colours: what a person reads, row by row.
    func plainScreen() throws -> String { try run(["capture-pane", "-p"]) }

    func send(_ keys: String) throws { try run(["send-keys", keys]) }

    /// Polls the screen (at most `seconds`) until `text` shows.
    func waitFor(_ text: String, seconds: Int = 10) throws {
        for _ in 0..<(seconds * 10) {
            if try screen().contains(text) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CLIError("timed out waiting for '\(text)' on the screen:\n\(try screen())")
    }

    func kill() { _ = try? run(["kill-server"]) }
}
