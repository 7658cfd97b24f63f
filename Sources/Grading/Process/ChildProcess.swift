import CProcessSupport
import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Why not Foundation's `Process`: it cannot start a process group or session, it leaves
/// the child with whatever signal mask the calling thread has (a test runner blocks
/// SIGCHLD, and a shell's `wait` then hangs), and its exit notification depends on a
/// SIGCHLD handler that can miss children. Here the child always starts with an empty signal
/// mask and default handlers, in the process group asked for, and `wait` is a plain
/// `waitpid` (or a `pidfd` poll for a deadline).
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        case inherit
        case null
        /// A file descriptor of the parent, duplicated onto the stream (the parent keeps it).
        case descriptor(Int32)
        /// A file, created or truncated (or appended to).
        case file(String, append: Bool = false)
    }

    public enum Group: Sendable {
        /// Stay in the parent's process group (a pager that reads the terminal).
        case inherit
        /// A new process group led by the child: signalling the group reaches its children.
        case newGroup
        /// A new session (and group): also detached from the controlling terminal.
        case newSession
    }

    public struct Options: Sendable {
        /// `arguments[0]` is the program: a path, or a name looked up in the child's `PATH`.
        public var arguments: [String]
        public var environment: [String: String]
        public var directory: String?
        public var stdin: Stream = .null
        public var stdout: Stream = .inherit
        public var stderr: Stream = .inherit
        public var group: Group = .newGroup

        public init(arguments: [String], environment: [String: String], directory: String? = nil,
                    stdin: Stream = .null, stdout: Stream = .inherit, stderr: Stream = .inherit, group: Group = .newGroup) {
            self.arguments = arguments
            self.environment = environment
            self.directory = directory
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
            self.group = group
        }
    }

    /// How a process ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var isSuccess: Bool { self == .exited(0) }

        public var description: String {
            switch self {
            case .exited(let code): return "exited with status \(code)"
            case .signaled(let signal): return "was killed by \(ChildProcess.signalName(signal))"
            }
        }
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let program: String
        public let code: Int32
        public var description: String {
            code == ENOENT ? "\(program): command not found" : "cannot start \(program): \(String(cString: strerror(code)))"
        }
    }

    public let pid: pid_t
    public let program: String
    private let lock = NSLock()
    private var termination: Termination?

    private init(pid: pid_t, program: String) {
        self.pid = pid
        self.program = program
    }

    /// Starts the child. Throws `SpawnError` when the program cannot be found or started.
    public static func spawn(_ options: Options) throws -> ChildProcess {
        guard let name = options.arguments.first, !name.isEmpty else {
            throw SpawnError(program: "(empty command)", code: EINVAL)
        }
        guard let path = resolve(name, path: options.environment["PATH"] ?? "/usr/bin:/bin") else {
            throw SpawnError(program: name, code: ENOENT)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(options.stdin, STDIN_FILENO), (options.stdout, STDOUT_FILENO), (options.stderr, STDERR_FILENO)] {
            switch stream {
            case .inherit:
                break
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            case .file(let file, let append):
                posix_spawn_file_actions_addopen(&actions, target, file, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
            }
        }
        if let directory = options.directory {
            cps_spawn_addchdir(&actions, directory)
        }
        // Nothing but the three streams reaches the child. SwiftNIO (the services, the users
        // API reference) opens its sockets without close-on-exec: a learner's program started
        // beside a companion service would otherwise hold its listening socket, could accept
        // the checks' connections meant for it, and would keep its port open after it stopped.
        cps_spawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGCHLD, SIGTERM, SIGHUP, SIGTTOU, SIGTTIN] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        switch options.group {
        case .inherit: break
        case .newGroup:
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        case .newSession:
            flags |= Int32(cps_spawn_setsid_flag())
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let envp = options.environment.map { "\($0.key)=\($0.value)" }.sorted()
        var pid: pid_t = 0
        // On the spawner thread, never the caller's: see `SpawnerThread`.
        let status = SpawnerThread.shared.run {
            withCStrings(options.arguments) { argv in
                withCStrings(envp) { env in
                    posix_spawn(&pid, path, &actions, &attributes, argv, env)
                }
            }
        }
        guard status == 0 else { throw SpawnError(program: name, code: status) }
        return ChildProcess(pid: pid, program: name)
    }

    /// The absolute path of `name` in the colon-separated `path`, or `name` itself when it
    /// holds a slash.
    public static func resolve(_ name: String, path: String) -> String? {
        if name.contains("/") { return name }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    // MARK: Waiting

    /// The termination if the child has ended (reaping it), else nil. Never blocks.
    public func poll() -> Termination? {
        reap(options: WNOHANG)
    }

    /// Blocks until the child ends.
    @discardableResult
    public func wait() -> Termination {
        while true {
            if let done = reap(options: 0) { return done }
        }
    }

    /// Waits at most `seconds`; nil when the child is still running then.
    public func wait(timeout seconds: Double) -> Termination? {
        if let done = poll() { return done }
        let deadline = Date().addingTimeInterval(seconds)
        let pidfd = cps_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        while true {
            if let done = poll() { return done }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            if pidfd >= 0 {
                var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = Glibc.poll(&entry, 1, Int32(min(left, 1) * 1000) + 1)
            } else {
                usleep(UInt32(min(left, 0.01) * 1_000_000))
            }
        }
    }

    /// Waits without blocking a thread of the cooperative pool.
    public func waitAsync() async -> Termination {
        if let done = poll() { return done }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.wait()) }
        }
    }

    /// Waits at most `seconds` on a thread of its own, never one of the cooperative pool;
    /// nil when the child is still running then.
    public func waitAsync(timeout seconds: Double) async -> Termination? {
        if let done = poll() { return done }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.wait(timeout: seconds)) }
        }
    }

    private func reap(options: Int32) -> Termination? {
        lock.lock()
        defer { lock.unlock() }
        if let termination { return termination }
        var status: Int32 = 0
        let result = waitpid(pid, &status, options)
        if result == pid {
            termination = cps_wifsignaled(status) != 0 ? .signaled(cps_wtermsig(status)) : .exited(cps_wexitstatus(status))
            return termination
        }
        if result < 0 && errno == ECHILD {
            // Reaped elsewhere; the status is lost.
            termination = .exited(-1)
            return termination
        }
        return nil
    }

    // MARK: Signals

    /// Sends `signal` to the child alone, unless it has been reaped (its pid may be reused).
    public func send(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if termination == nil { kill(pid, signal) }
    }

    /// Sends `signal` to the child's process group (only for `.newGroup` or `.newSession`
    /// children, whose group id is their pid). Members outlive the leader, so this is sent
    /// even after the leader was reaped: a group id is not reused while the group has members.
    public func sendToGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV",
                                      SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
                                      SIGPIPE: "SIGPIPE", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE"]
        return names[signal] ?? "signal \(signal)"
    }
}

/// The one thread every child is started from, alive as long as the process.
///
/// A child that asks to die with its parent (bubblewrap's `--die-with-parent`, which the
/// sandbox and the grading workers use) is killed when the *thread* that started it ends,
/// not the process (`PR_SET_PDEATHSIG`). The threads of Swift's cooperative pool end after a
/// few idle seconds, and a sandboxed program started from one was killed mid-check when
/// its thread idled out (measured: a child started from a pool task was killed 12 s later
/// while the process lived on). Starting every child here makes that impossible.
final class SpawnerThread: @unchecked Sendable {
    static let shared = SpawnerThread()

    private let condition = NSCondition()
    /// Each job with the semaphore its caller waits on.
    private var jobs: [(body: () -> Void, done: DispatchSemaphore)] = []

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "course-spawner"
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            var job: (body: () -> Void, done: DispatchSemaphore)? = jobs.removeFirst()
            condition.unlock()
            let done = job!.done
            job!.body()
            // The caller's closure must be released before the caller goes on: it was made
            // escaping only for the length of `run` (`withoutActuallyEscaping` traps when a
            // reference outlives it, which it did when this thread still held the job).
            job = nil
            done.signal()
        }
    }

    /// Runs `body` on the spawner thread and returns its result; the caller waits.
    func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            var result: T?
            let done = DispatchSemaphore(value: 0)
            condition.lock()
            jobs.append((body: { result = body() }, done: done))
            condition.signal()
            condition.unlock()
            done.wait()
            return result!
        }
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// A pipe whose ends are close-on-exec in the parent (`posix_spawn`'s dup2 clears the flag
/// on the child's copy), so no other child inherits them by accident.
public struct PipeDescriptors: Sendable {
    public let read: Int32
    public let write: Int32

    public init() throws {
        var fds: [Int32] = [0, 0]
        guard cps_pipe_cloexec(&fds) == 0 else {
            throw CourseError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        read = fds[0]
        write = fds[1]
    }
}
