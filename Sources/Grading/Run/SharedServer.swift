import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The shared instance of a server program: started on first use, with a fresh free port,
/// and waited for until it accepts connections. The program is the submission's (a child
/// process) or a server a piece runs in-process (its reference, or a mutant of it).
final class SharedServer: @unchecked Sendable {
    enum Source {
        case submission(SubmissionRun)
        case inProcess(InProcessServer)
    }

    let source: Source
    let readySeconds: Double
    let environment: [String: String]
    private(set) var current: RunningProgram?
    private var instance: InProcessServer.Instance?
    private var port: Int?
    /// Set once the program failed to become ready: later checks fail at once with the same
    /// reason instead of starting it again and waiting out the deadline each time.
    private var notReady: ServerNotReady?
    /// When the running program was found dead ("during check 'x'"), for the checks after it.
    private var death: String?
    /// True when the running check took the process (`serverProgram()`) to signal it itself.
    private var handedOut = false
    private let lock = NSLock()

    init(source: Source, readySeconds: Double, environment: [String: String]) {
        self.source = source
        self.readySeconds = readySeconds
        self.environment = environment
    }

    var inProcess: Bool {
        if case .inProcess = source { return true }
        return false
    }

    func endpoint() async throws -> ServerEndpoint {
        let (program, started, known) = lock.withLock { (current, instance != nil, port) }
        if let program, let known {
            if let end = program.termination {
                throw CheckFailure("the server \(end) while it was being checked\(program.limitHit.map { " (\($0))" } ?? "")",
                                   received: output(of: program), hint: "its output is above; a crash in a handler stops the whole server")
            }
            return ServerEndpoint(host: "127.0.0.1", port: known)
        }
        if started, let known { return ServerEndpoint(host: "127.0.0.1", port: known) }
        return try await start()
    }

    func restart(signal: Int32) async throws -> ServerEndpoint {
        let (program, running): (RunningProgram?, InProcessServer.Instance?) = lock.withLock {
            defer { current = nil; instance = nil }
            return (current, instance)
        }
        if let program {
            if signal == SIGKILL {
                await Blocking.run { program.killEverything() }
            } else {
                program.signalProgram(signal)
                _ = await program.waitForExit(seconds: 5)
            }
            await program.stop(grace: 0)
        }
        await running?.stop()
        return try await start(port: port)
    }

    /// The check running now and the one before it, for saying when the server died.
    private var runningCheck: String?
    private var previousCheck: String?
    /// The server had already ended when the running check began.
    private var deadAtStart = false

    /// Where the running check says what it waits for (the start-up wait included).
    private var activity: CheckActivity?

    /// Called by the grader before each check.
    func beginCheck(_ name: String, activity: CheckActivity? = nil) {
        let dead = lock.withLock { current }?.termination != nil
        lock.withLock {
            self.activity = activity
            handedOut = false
            previousCheck = runningCheck
            runningCheck = name
            deadAtStart = dead
        }
    }

    func handOut() -> RunningProgram? {
        lock.withLock {
            handedOut = true
            return current
        }
    }

    /// After a check failed: if the server process has ended (given a moment to finish
    /// ending), a failure that says so, which explains the check's own failure better than
    /// "connection refused" does. Nil when it runs, or when the check stopped it on purpose.
    func exitFailure(check: String, checkSaid: CheckFailure) async -> CheckFailure? {
        guard let program = lock.withLock({ handedOut ? nil : current }) else { return nil }
        var end = program.termination
        if end == nil { end = await program.waitForExit(seconds: 0.3) }
        guard let end else { return nil }
        let limit = program.limitHit.map { " (\($0))" } ?? ""
        let (when, first): (String, Bool) = lock.withLock {
            if let known = death { return (known, false) }
            let when = deadAtStart ? previousCheck.map { "after check '\($0)'" } ?? "before the first check" : "during check '\(check)'"
            death = when
            return (when, true)
        }
        let message = first ? "the server \(end)\(limit) \(when)" : "the server is not running: it \(end)\(limit) \(when)"
        return CheckFailure(message, sent: checkSaid.sent, received: output(of: program),
                            hint: "the check saw: \(checkSaid.message.firstLine); the server's output is under 'received'")
    }

    /// Stops whatever runs now, so the next check starts the program afresh on a new port
    /// (`--all-stages`, after a failed stage). A program that never became ready stays so.
    func freshStart() async {
        let (program, running): (RunningProgram?, InProcessServer.Instance?) = lock.withLock {
            defer {
                current = nil
                instance = nil
                port = nil
                death = nil
            }
            return (current, instance)
        }
        await program?.stop()
        await running?.stop()
    }

    /// Stops an in-process server (a program is stopped with the submission run).
    func shutdown() async {
        let running = lock.withLock {
            defer { instance = nil }
            return instance
        }
        await running?.stop()
    }

    private func start(port reuse: Int? = nil) async throws -> ServerEndpoint {
        if let notReady = lock.withLock({ notReady }) { throw notReady }
        let port = try reuse ?? LoopbackSocket.freePort()
        var env = environment
        env["PORT"] = String(port)
        let program: RunningProgram?
        switch source {
        case .submission(let run):
            program = try run.launch(environment: env)
            lock.withLock {
                current = program
                death = nil
                self.port = port
            }
        case .inProcess(let server):
            let started = try await server.start(port, env)
            program = nil
            lock.withLock {
                instance = started
                self.port = port
            }
        }
        let deadline = Date().addingTimeInterval(readySeconds)
        let waits = lock.withLock { activity }
        let token = waits?.begin("waiting for the program to accept connections on port \(port) (at most \(Self.inWords(seconds: readySeconds)))")
        defer { token.map { waits?.end($0) } }
        while Date() < deadline {
            if let program, let end = program.termination {
                throw failedToStart(ServerNotReady(reason: "the program \(end) before it accepted connections on port \(port)\(program.limitHit.map { " (\($0))" } ?? "")\n" + outputSection(program)))
            }
            if LoopbackSocket.accepts(port: port) { return ServerEndpoint(host: "127.0.0.1", port: port) }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let output = program.map { "\n" + outputSection($0) } ?? ""
        let reason = ServerNotReady(reason: "nothing accepted connections on 127.0.0.1:\(port) (the port in the PORT variable) "
                                        + "within \(Self.inWords(seconds: readySeconds)) of starting, the time this exercise gives a program to get ready\(output)")
        await program?.stop(grace: 0)
        await shutdown()
        throw failedToStart(reason)
    }

    private func failedToStart(_ reason: ServerNotReady) -> ServerNotReady {
        lock.withLock { notReady = reason }
        return reason
    }

    /// What the program wrote, cut to its start, a crash's cause and its end, with paths in
    /// its folder shown relative to it.
    func output(of program: RunningProgram) -> String {
        let text = program.combinedOutput.text
        guard !text.isEmpty else { return "(no output)" }
        var folder: String?
        if case .submission(let run) = source { folder = run.workDirectory.path }
        return OutputExcerpt.standard.cut(text, folder: folder)
    }

    /// The program's output under a heading, for a reason that is one text.
    private func outputSection(_ program: RunningProgram) -> String {
        "its output (standard output and error):\n" + output(of: program).indentedBlock
    }

    /// "10 seconds", "1 second", "2.5 seconds".
    static func inWords(seconds: Double) -> String {
        let number = seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%g", seconds)
        return "\(number) second\(seconds == 1 ? "" : "s")"
    }
}

struct ServerNotReady: Error {
    let reason: String
}
