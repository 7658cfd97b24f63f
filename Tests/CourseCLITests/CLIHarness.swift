import Foundation
import Grading
import Testing

/// Runs the built `course` binary in a temporary course copy and workspace.
struct CLIHarness {
    static let fixtureCourse = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/course")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `course` executable built beside the test bundle.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("course")
    }()

    let courseRoot: URL
    let workspace: URL
    var environment: [String: String]

    /// A fresh copy of the fixture course (tests may break it) and an empty workspace path.
    init(course: URL = CLIHarness.fixtureCourse) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("course-cli-\(UUID().uuidString)")
        courseRoot = base.appendingPathComponent("course")
        workspace = base.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: course, to: courseRoot)
        // Its own temporary folder: the work folders of every program it grades are in it,
        // so a test can tell its processes from those of tests running beside it.
        let temporary = base.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        environment = [
            "TMPDIR": temporary.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": base.path,
            "COURSE_ROOT": courseRoot.path,
            "COURSE_WORKSPACE": workspace.path,
            "TERM": "xterm-256color",
        ]
    }

    /// Processes that run in this harness's folders (their working folder or command line
    /// is under it): what a command it ran left behind.
    var processesLeft: [String] {
        let base = courseRoot.deletingLastPathComponent().path + "/"
        return Self.processes { command, cwd in (cwd + "/").hasPrefix(base) || command.contains(base) }
    }

    /// Running processes, as "pid: command line (in folder)", that `matches` (command line,
    /// working folder) picks, from `/proc`.
    static func processes(where matches: (String, String) -> Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> String? in
            guard Int(name) != nil, let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/cwd")) ?? ""
            return matches(command, cwd) ? "\(name): \(command) (in \(cwd))" : nil
        }
    }

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `course` to its end on a thread of its own: a test waiting for a command must
    /// not hold one of the cooperative pool's threads (one per core), which the in-process
    /// servers and graders of tests running beside it need.
    /// `directory` is the folder it runs in (default: the one holding the course copy).
    func run(_ arguments: [String], environment extra: [String: String] = [:], directory: URL? = nil) async throws -> Result {
        let harness = self
        return try await Blocking.run { try harness.runBlocking(arguments, environment: extra, directory: directory) }
    }

    private func runBlocking(_ arguments: [String], environment extra: [String: String], directory: URL?) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = directory ?? courseRoot.deletingLastPathComponent()
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr on another thread while stdout is read here, so a large output on
        // either pipe never blocks the child.
        let stderrBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            stderrBox.data = (try? err.fileHandleForReading.readToEnd()) ?? Data()
        }
        let stdout = try out.fileHandleForReading.readToEnd() ?? Data()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderrBox.data, as: UTF8.self))
    }

    /// Runs `course` under `sh -c` (for pipes into other commands). Scripts must not use
    /// `&` with `wait`: children of the test runner inherit a blocked SIGCHLD, and a
    /// shell's `wait` then never returns. Start concurrent processes with `start` instead.
    func shell(_ script: String) async throws -> Result {
        try await start(script).finish()
    }

    /// Starts a shell script without waiting; `finish()` collects its output.
    func start(_ script: String) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var env = environment
        env["COURSE"] = Self.binary.path
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, output: out)
    }

    struct Running: @unchecked Sendable {
        let process: Process
        let output: Pipe

        /// Waits for the script on a thread of its own (see `run`).
        func finish() async throws -> Result {
            let running = self
            return try await Blocking.run { try running.finishBlocking() }
        }

        private func finishBlocking() throws -> Result {
            let data = try output.fileHandleForReading.readToEnd() ?? Data()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
        }
    }

    func json(_ arguments: [String], directory: URL? = nil) async throws -> [String: Any] {
        let result = try await run(arguments + ["--json"], directory: directory)
        guard result.status == 0 else {
            throw CLIError("course \(arguments.joined(separator: " ")) --json exited \(result.status): \(result.stderr)")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw CLIError("not a JSON object: \(result.stdout)")
        }
        return object
    }

    var progressFile: URL { workspace.appendingPathComponent("progress.sqlite") }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}
