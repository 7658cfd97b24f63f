import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a check works with: the submission's program (started for it, or the shared server),
/// seeded randomness, and the exercise's limits. Checks talk to the program over its real
/// protocol and throw a `CheckFailure` saying what they sent, what came back and what they
/// expected.
public final class CheckContext: @unchecked Sendable {
    public let seed: UInt64
    public let checkID: String
    public let exercise: ExerciseManifest
    let run: SubmissionRun
    let server: SharedServer?
    /// When the stage's time runs out.
    public let deadline: Date

    init(seed: UInt64, checkID: String, exercise: ExerciseManifest, run: SubmissionRun, server: SharedServer?, deadline: Date) {
        self.deadline = deadline
        self.seed = seed
        self.checkID = checkID
        self.exercise = exercise
        self.run = run
        self.server = server
    }

    /// This check's own generator: the same seed gives the same inputs.
    public func random() -> SeededRandom {
        SeededRandom(seed: seed, label: checkID)
    }

    // MARK: stdio programs

    /// Starts a fresh instance of the program, feeds it `input` (then end of file), and
    /// waits for it to exit, at most `seconds` (default: what is left of the stage's time,
    /// less half a second to report in). The program is
    /// stopped (and everything it started) before this returns.
    public func runProgram(input: String, environment: [String: String] = [:], seconds: Double? = nil) async throws -> ProgramRun {
        let program = try start(environment: environment)
        let started = Date()
        // Feed input on its own thread: a program that writes before reading must not
        // deadlock against a grader that writes before reading.
        let writer = Thread {
            program.write(input)
            program.closeInput()
        }
        writer.start()
        let limit = max(0.5, min(seconds ?? .infinity, deadline.timeIntervalSinceNow - 0.5))
        let termination = await program.waitForExit(seconds: limit)
        let timedOut = termination == nil
        let final = await program.stop()
        return ProgramRun(input: input, stdout: program.stdout.snapshot(), output: program.combinedOutput.snapshot(),
                          termination: timedOut ? nil : final, timedOut: timedOut, secondsAllowed: limit,
                          limitHit: program.limitHit, seconds: Date().timeIntervalSince(started))
    }

    /// Starts a fresh instance to drive by hand (write, read lines, signal). It is stopped
    /// at the end of the grading run if the check does not stop it.
    public func start(environment: [String: String] = [:]) throws -> RunningProgram {
        try run.launch(environment: environment)
    }

    // MARK: servers

    /// The address of the shared server instance (started and ready).
    public func endpoint() async throws -> ServerEndpoint {
        guard let server else { throw CourseError("this exercise's program is not a server") }
        return try await server.endpoint()
    }

    /// Stops the server (with `signal`: SIGTERM for a graceful stop, SIGKILL for a crash)
    /// and starts it again with the same environment; returns the new endpoint.
    public func restartServer(signal: Int32 = SIGTERM) async throws -> ServerEndpoint {
        guard let server else { throw CourseError("this exercise's program is not a server") }
        return try await server.restart(signal: signal)
    }

    /// The running server process, for checks about signals and shutdown.
    public func serverProgram() async throws -> RunningProgram {
        guard let server else { throw CourseError("this exercise's program is not a server") }
        _ = try await server.endpoint()
        guard let program = server.current else { throw CourseError("the server is not running") }
        return program
    }
}

/// Where a ready server listens.
public struct ServerEndpoint: Sendable, Equatable {
    public let host: String
    public let port: Int
    public var baseURL: String { "http://\(host):\(port)" }
}

/// One finished run of a stdio program.
public struct ProgramRun: Sendable {
    public let input: String
    public let stdout: OutputLog
    /// Standard output and error together, as they arrived.
    public let output: OutputLog
    /// nil when it was stopped for running too long.
    public let termination: ChildProcess.Termination?
    public let timedOut: Bool
    public let secondsAllowed: Double
    public let limitHit: String?
    public let seconds: Double

    /// Standard output split into lines (a final newline does not make an empty line).
    public var lines: [String] {
        var text = stdout.text
        if text.hasSuffix("\n") { text.removeLast() }
        if text.isEmpty { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    /// Why the run went wrong regardless of its output, if it did: a limit, a time-out, a
    /// crash or a non-zero exit. Checks report this before comparing output.
    public var problem: String? {
        if let limitHit { return "the program was stopped: \(limitHit)" }
        if timedOut { return "the program did not finish within \(String(format: "%.1f", secondsAllowed)) s" }
        if let termination, !termination.isSuccess { return "the program \(termination)" }
        return nil
    }
}

/// The shared instance of a server program: started on first use, with a fresh free port,
/// and waited for until it accepts connections.
final class SharedServer: @unchecked Sendable {
    let run: SubmissionRun
    let environment: [String: String]
    private(set) var current: RunningProgram?
    private var port: Int?
    private let lock = NSLock()

    init(run: SubmissionRun, environment: [String: String]) {
        self.run = run
        self.environment = environment
    }

    func endpoint() async throws -> ServerEndpoint {
        let (program, known) = lock.withLock { (current, port) }
        if let program, let known {
            if let end = program.termination {
                throw CheckFailure("the program \(end) while it was being checked",
                                   received: Self.tail(of: program), hint: "its last output is above; a crash in a handler stops the whole server")
            }
            return ServerEndpoint(host: "127.0.0.1", port: known)
        }
        return try await start()
    }

    func restart(signal: Int32) async throws -> ServerEndpoint {
        let program: RunningProgram? = lock.withLock {
            defer { current = nil }
            return current
        }
        if let program {
            if signal == SIGKILL {
                program.killEverything()
            } else {
                program.process.sendToGroup(signal)
                _ = await program.waitForExit(seconds: 5)
            }
            await program.stop(grace: 0)
        }
        return try await start(port: port)
    }

    private func start(port reuse: Int? = nil) async throws -> ServerEndpoint {
        let port = try reuse ?? Self.freePort()
        var env = environment
        env["PORT"] = String(port)
        let program = try run.launch(environment: env)
        lock.withLock {
            current = program
            self.port = port
        }
        let deadline = Date().addingTimeInterval(run.exercise.readySeconds)
        while Date() < deadline {
            if let end = program.termination {
                throw ServerNotReady(reason: "the program \(end) before it accepted connections on port \(port)\(program.limitHit.map { " (\($0))" } ?? "")\n\(Self.tail(of: program))")
            }
            if Self.accepts(port: port) { return ServerEndpoint(host: "127.0.0.1", port: port) }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        throw ServerNotReady(reason: "nothing accepted connections on 127.0.0.1:\(port) (the PORT variable) within \(SubmissionResult.format(run.exercise.readySeconds)) s\n\(Self.tail(of: program))")
    }

    static func tail(of program: RunningProgram) -> String {
        let text = program.combinedOutput.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
        return lines.isEmpty ? "(no output)" : lines.joined(separator: "\n")
    }

    /// A port nothing listens on now: bind port 0, read it back, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CourseError("cannot create a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw CourseError("cannot find a free port: \(String(cString: strerror(errno)))") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when a TCP connection to 127.0.0.1:port is accepted.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}

struct ServerNotReady: Error {
    let reason: String
}
