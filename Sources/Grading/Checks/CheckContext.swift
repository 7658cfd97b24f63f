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
    /// nil when the program is a server run in-process (a piece's reference or mutant).
    let run: SubmissionRun?
    let server: SharedServer?
    let services: RunningServices?
    /// When the stage's time runs out.
    public let deadline: Date
    /// What the check waits for, for the live log (the HTTP client and the runner tell it).
    public let activity: CheckActivity

    /// The values of the standard variables the program was given (`JWT_SECRET`,
    /// `DATABASE_PATH`, `UPSTREAM_URL`…; see `ProgramVariable`), for checks that must agree with it.
    public let variables: [String: String]

    init(seed: UInt64, checkID: String, exercise: ExerciseManifest, run: SubmissionRun?, server: SharedServer?,
         services: RunningServices? = nil, variables: [String: String] = [:], deadline: Date, activity: CheckActivity = CheckActivity()) {
        self.activity = activity
        self.variables = variables
        self.services = services
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
        let token = activity.begin("waiting for the program to finish (at most \(SubmissionResult.format(limit.rounded(.up))) s)")
        let termination = await program.waitForExit(seconds: limit)
        activity.end(token)
        let timedOut = termination == nil
        let final = await program.stop()
        return ProgramRun(input: input, stdout: program.stdout.snapshot(), output: program.combinedOutput.snapshot(),
                          termination: timedOut ? nil : final, timedOut: timedOut, secondsAllowed: limit,
                          limitHit: program.limitHit, seconds: Date().timeIntervalSince(started))
    }

    /// Starts a fresh instance to drive by hand (write, read lines, signal), with the
    /// exercise's variables and `environment` over them. It is stopped at the end of the
    /// grading run if the check does not stop it.
    public func start(environment: [String: String] = [:]) throws -> RunningProgram {
        guard let run else { throw CourseError("this check starts the program itself, which a server run in-process cannot do") }
        return try run.launch(environment: variables.merging(environment) { $1 })
    }

    // MARK: services

    /// The piece's service started for this run (its companion: the upstream, the cache),
    /// reset before this check began, as the piece's own type: read what it recorded,
    /// reconfigure it.
    public func service<Instance>(_ key: ServiceKey<Instance>) throws -> Instance {
        guard let instance = services?.instance(key) else {
            throw CourseError("the service '\(key.name)' is not running: the exercise's 'environment' must list the variable that names it")
        }
        return instance
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

    /// The running server process, for checks about signals and shutdown. A check that
    /// takes it is trusted to explain the server's exit itself.
    public func serverProgram() async throws -> RunningProgram {
        guard let server else { throw CourseError("this exercise's program is not a server") }
        _ = try await server.endpoint()
        guard let program = server.handOut() else {
            throw CourseError(server.inProcess ? "this check needs the server's process, and this server runs in-process" : "the server is not running")
        }
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

