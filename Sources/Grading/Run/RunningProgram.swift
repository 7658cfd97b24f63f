import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A started command of a submission (its build, or its program): its standard input, its
/// captured output, the limits watched while it runs, and a teardown that leaves nothing.
public final class RunningProgram: @unchecked Sendable {
    public let process: ChildProcess
    /// Standard output alone (what stdio checks read).
    public let stdout: OutputCapture
    /// Standard output and standard error as they arrived (the log reports show).
    public let combinedOutput: OutputCapture
    public let startedAt = Date()
    let limits: Limits
    let resources: ResourceGroup?
    let kind: String
    let sandboxed: Bool
    private var stdinFD: Int32
    private let lock = NSLock()
    private var monitorLimit: String?
    private var stopped: ChildProcess.Termination?
    private var monitor: Thread?

    init(arguments: [String], environment: [String: String], directory: String, limits: Limits,
         resources: ResourceGroup?, kind: String, log: OutputCapture?, sandboxed: Bool) throws {
        self.sandboxed = sandboxed
        self.limits = limits
        self.resources = resources
        self.kind = kind
        let input = try PipeDescriptors()
        let output = try PipeDescriptors()
        let errors = try PipeDescriptors()
        do {
            process = try ChildProcess.spawn(.init(arguments: arguments, environment: environment, directory: directory,
                                                   stdin: .descriptor(input.read), stdout: .descriptor(output.write),
                                                   stderr: .descriptor(errors.write), group: .newGroup))
        } catch {
            [input.read, input.write, output.read, output.write, errors.read, errors.write].forEach { close($0) }
            resources?.remove()
            throw CourseError("cannot start the \(kind): \(error)")
        }
        close(input.read)
        close(output.write)
        close(errors.write)
        stdinFD = input.write
        let bytes = limits.outputKB * 1024
        combinedOutput = OutputCapture(limit: bytes, log: log)
        stdout = OutputCapture(draining: output.read, limit: bytes, log: combinedOutput)
        _ = OutputCapture(draining: errors.read, limit: bytes, log: combinedOutput)
        startMonitor()
    }

    /// Ten times a second, stops the program and everything it started once it is over a
    /// limit: with cgroups, as soon as the pids group refused a fork (a fork bomb is stopped
    /// at once, not at the end of the stage); without, when the resident memory of the
    /// program and its descendants passes the limit.
    private func startMonitor() {
        let limitBytes = limits.memoryMB * 1024 * 1024
        let thread = Thread { [weak self] in
            while let self, self.process.poll() == nil {
                var hit: String?
                if let resources = self.resources {
                    if resources.hitProcessLimit { hit = "it tried to run more than \(self.limits.processes) processes at once" }
                } else if ProcessTree.read().residentBytes(under: self.process.pid) > limitBytes {
                    hit = "it used more than the memory limit of \(self.limits.memoryMB) MB"
                }
                if let hit {
                    self.lock.withLock { self.monitorLimit = hit }
                    self.killEverything()
                    return
                }
                usleep(100_000)
            }
        }
        thread.name = "course-limits"
        monitor = thread
        thread.start()
    }

    /// Writes to the program's standard input. Returns false when the program no longer reads.
    @discardableResult
    public func write(_ text: String) -> Bool {
        lock.lock()
        let fd = stdinFD
        lock.unlock()
        guard fd >= 0 else { return false }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Closes standard input: the program sees end of file.
    public func closeInput() {
        lock.lock()
        if stdinFD >= 0 { close(stdinFD) }
        stdinFD = -1
        lock.unlock()
    }

    /// The termination if the program has ended.
    public var termination: ChildProcess.Termination? { process.poll().map(unwrapped) }

    /// Inside the sandbox the program is bubblewrap's child, and bubblewrap reports a child
    /// killed by signal N as exit status 128 + N, as shells do: undo that.
    func unwrapped(_ termination: ChildProcess.Termination) -> ChildProcess.Termination {
        if sandboxed, case .exited(let code) = termination, code > 128, code < 128 + 65 {
            return .signaled(code - 128)
        }
        return termination
    }

    /// Waits for the program to end by itself, at most `seconds`.
    public func waitForExit(seconds: Double) async -> ChildProcess.Termination? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let done = process.poll() {
                // Let the output threads read what is left in the pipes.
                _ = await stdout.waitUntilFinished(seconds: 0.5)
                return unwrapped(done)
            }
            if Date() >= deadline { return nil }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    /// Why the program was stopped by a limit, if it was: memory, processes.
    public var limitHit: String? {
        if let monitored = lock.withLock({ monitorLimit }) { return monitored }
        if lock.withLock({ stopped }) != nil { return nil }
        if let resources {
            if resources.hitMemoryLimit { return "it used more than the memory limit of \(limits.memoryMB) MB" }
            if resources.hitProcessLimit { return "it tried to run more than \(limits.processes) processes at once" }
        }
        return nil
    }

    /// Stops the program and everything it started: SIGTERM to its process group, up to
    /// `grace` seconds for it to exit, then SIGKILL to the group, to every descendant, and to
    /// every member of its cgroup. Idempotent.
    @discardableResult
    public func stop(grace: Double = 2) async -> ChildProcess.Termination {
        if let stopped = lock.withLock({ stopped }) { return stopped }
        closeInput()
        if process.poll() == nil {
            process.sendToGroup(SIGTERM)
            process.send(SIGTERM)
            _ = await waitForExit(seconds: grace)
        }
        // Killing waits between rounds, and removing cgroups waits for them to empty: on a
        // thread of its own, never one of the few the grader's tasks share.
        await Blocking.run { self.killEverything() }
        let result = unwrapped(await process.waitAsync())
        // Read the cgroups' counters before they go.
        if let hit = limitHit { lock.withLock { monitorLimit = hit } }
        if let resources { await Blocking.run { resources.remove() } }
        _ = await stdout.waitUntilFinished(seconds: 1)
        lock.withLock { stopped = result }
        return result
    }

    /// Sends `signal` to the program itself, as an orchestrator would (Kubernetes signals
    /// the container's main process): not to bubblewrap, which does not pass signals on, and
    /// not to the whole group, so the program decides what its children get.
    public func signalProgram(_ signal: Int32) {
        guard sandboxed else {
            kill(process.pid, signal)
            return
        }
        // setpriv and the shells exec; what is left is bwrap, its init inside the pid
        // namespace, then the program: the first process below them that is not bwrap.
        let tree = ProcessTree.read()
        var level = [process.pid]
        for _ in 0..<4 {
            let children = tree.entries.values.filter { level.contains($0.parent) }
            let program = children.filter { $0.command != "bwrap" }
            if !program.isEmpty {
                for entry in program { kill(entry.pid, signal) }
                return
            }
            if children.isEmpty { return }
            level = children.map(\.pid)
        }
    }

    /// SIGKILL to the group, the descendants and the cgroup, repeated until none is left.
    func killEverything() {
        for _ in 0..<50 {
            process.sendToGroup(SIGKILL)
            let descendants = ProcessTree.read().descendants(of: process.pid)
            for entry in descendants { kill(entry.pid, SIGKILL) }
            process.send(SIGKILL)
            resources?.killAll()
            if descendants.isEmpty { return }
            usleep(10_000)
        }
    }
}
