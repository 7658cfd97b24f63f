import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// `course watch` started with `ChildProcess`: standard input is a pipe the test writes to,
/// output goes to a file the test polls. The watcher's temporary folder (where the grader
/// builds and runs submissions) is private to the test, so leftover processes can be found.
///
/// Sendable so a test can poll it from a thread of its own (`Blocking.run`): only the test
/// that made it uses it, one call at a time.
final class WatchSession: @unchecked Sendable {
    let child: ChildProcess
    let logPath: String
    let temporary: URL
    private var input: Int32

    /// `directory` is the folder it runs in (default: the one holding the course copy).
    init(_ cli: CLIHarness, _ arguments: [String], directory: URL? = nil) throws {
        temporary = cli.workspace.deletingLastPathComponent().appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        logPath = cli.workspace.deletingLastPathComponent().appendingPathComponent("watch.log").path
        var environment = cli.environment
        environment["TMPDIR"] = temporary.path
        let pipe = try PipeDescriptors()
        child = try ChildProcess.spawn(.init(arguments: [CLIHarness.binary.path, "watch"] + arguments + ["--color", "never"],
                                             environment: environment, directory: (directory ?? cli.courseRoot.deletingLastPathComponent()).path,
                                             stdin: .descriptor(pipe.read), stdout: .file(logPath), stderr: .file(logPath, append: true)))
        close(pipe.read)
        input = pipe.write
    }

    deinit {
        if input >= 0 { close(input) }
        if child.poll() == nil {
            child.sendToGroup(SIGKILL)
            child.wait()
        }
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// How many runs have started.
    var runs: Int { output.components(separatedBy: " · run ").count - 1 }

    /// Polls the output until `condition` holds (at most `seconds`).
    func waitUntil(_ what: String, seconds: Double = 90, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(output) { return }
            if child.poll() != nil { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if condition(output) { return }
        throw CLIError("timed out waiting for \(what); the watcher wrote:\n\(output)")
    }

    /// Waits until `text` has been printed `count` times.
    func waitFor(_ text: String, count: Int = 1, seconds: Double = 90) throws {
        try waitUntil("'\(text)' ×\(count)", seconds: seconds) { $0.components(separatedBy: text).count - 1 >= count }
    }

    func send(_ text: String) {
        _ = text.withCString { write(input, $0, strlen($0)) }
    }

    func closeInput() {
        close(input)
        input = -1
    }

    /// Waits for the watcher to exit; nil if it is still running after `seconds`.
    func exit(within seconds: Double) -> ChildProcess.Termination? {
        child.wait(timeout: seconds)
    }

    /// Processes still running in the test's temporary folder or command line: what a
    /// watcher would leave behind.
    func leftovers() -> [String] {
        let marker = temporary.deletingLastPathComponent().path
        var found: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), pid != getpid() else { continue }
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/cwd")) ?? ""
            let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(name)/cmdline")))
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) } ?? ""
            if cwd.hasPrefix(marker) || commandLine.contains(marker) { found.append("\(pid): \(commandLine) (in \(cwd))") }
        }
        return found
    }
}
