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
                                   received: Self.tail(of: program), hint: "its last output is above; a crash in a handler stops the whole server")
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

    /// Called by the grader before each check.
    func beginCheck(_ name: String) {
        let dead = lock.withLock { current }?.termination != nil
        lock.withLock {
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
        return CheckFailure(message, sent: checkSaid.sent, received: Self.tail(of: program),
                            hint: "the check saw: \(checkSaid.message.firstLine); the server's last output is under 'received'")
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
        while Date() < deadline {
            if let program, let end = program.termination {
                throw failedToStart(ServerNotReady(reason: "the program \(end) before it accepted connections on port \(port)\(program.limitHit.map { " (\($0))" } ?? "")\n\(Self.tail(of: program))"))
            }
            if LoopbackSocket.accepts(port: port) { return ServerEndpoint(host: "127.0.0.1", port: port) }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let output = program.map { "\n" + Self.tail(of: $0) } ?? ""
        let reason = ServerNotReady(reason: "nothing accepted connections on 127.0.0.1:\(port) (the PORT variable) within the ready time of \(String(format: "%g", readySeconds)) s (ready_seconds)\(output)")
        await program?.stop(grace: 0)
        await shutdown()
        throw failedToStart(reason)
    }

    private func failedToStart(_ reason: ServerNotReady) -> ServerNotReady {
        lock.withLock { notReady = reason }
        return reason
    }

    static func tail(of program: RunningProgram) -> String {
        let text = program.combinedOutput.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
        return lines.isEmpty ? "(no output)" : lines.joined(separator: "\n")
    }
}

struct ServerNotReady: Error {
    let reason: String
}
