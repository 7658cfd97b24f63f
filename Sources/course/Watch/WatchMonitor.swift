import CProcessSupport
import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Everything `course watch` waits for, gathered by one thread that polls three sources:
/// file changes (settled: reported once `debounce` seconds pass with no new event), keys on
/// standard input, and SIGINT, SIGTERM and SIGHUP (through a self-pipe, so they are handled
/// in ordinary code, never inside a signal handler).
///
/// Standard input: on a terminal (in cbreak mode) `q` or Ctrl-D quits and Enter runs the
/// check again. Otherwise a line `q` quits, and the end of input only stops reading it: the
/// watcher keeps going until `q` or a signal, so `course watch < /dev/null` in a script or
/// under a test runner does not end at once.
///
/// Quitting while a check runs kills the submission's processes until the check returns,
/// so the watcher never leaves a program behind; a second signal exits at once.
final class WatchMonitor: @unchecked Sendable {
    enum Trigger: Equatable {
        /// Files changed (paths relative to the folder), or `[]`: the learner asked for a run.
        case changed([String])
        /// Stop watching and exit with this status.
        case quit(Int32)
    }

    private let watcher: FileWatcher
    private let terminal: TerminalMode?
    private let debounce: Double
    private let signals: PipeDescriptors
    private let condition = NSCondition()
    private var settled: [String]?
    private var quitStatus: Int32?
    private var checking = false

    init(watcher: FileWatcher, terminal: TerminalMode?, debounce: Double = 0.3) throws {
        self.watcher = watcher
        self.terminal = terminal
        self.debounce = debounce
        signals = try PipeDescriptors()
        _ = fcntl(signals.write, F_SETFL, fcntl(signals.write, F_GETFL) | O_NONBLOCK)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            guard cps_signal_to_pipe(signal, signals.write) == 0 else {
                throw CourseError("cannot handle signals: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Starts the polling thread.
    func start() {
        Thread.detachNewThread { self.poll() }
    }

    /// Whether the learner asked to quit (the check under way is then abandoned).
    var quitRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return quitStatus != nil
    }

    /// Brackets a check: a quit meanwhile kills the submission's processes until it ends.
    func checkStarted() { setChecking(true) }
    func checkEnded() { setChecking(false) }

    private func setChecking(_ value: Bool) {
        condition.lock()
        checking = value
        condition.unlock()
    }

    private var isChecking: Bool {
        condition.lock()
        defer { condition.unlock() }
        return checking
    }

    /// Waits for settled changes or a quit; changes made during a check are returned at
    /// once afterwards, merged into one run.
    func next() async -> Trigger {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitForTrigger()) }
        }
    }

    private func waitForTrigger() -> Trigger {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let quitStatus { return .quit(quitStatus) }
            if let changes = settled {
                settled = nil
                return .changed(changes)
            }
            condition.wait()
        }
    }

    private func publish(_ changes: [String]) {
        condition.lock()
        var merged = settled ?? []
        for change in changes where !merged.contains(change) { merged.append(change) }
        settled = merged
        condition.broadcast()
        condition.unlock()
    }

    private func quit(_ status: Int32) {
        condition.lock()
        let first = quitStatus == nil
        if first { quitStatus = status }
        let busy = checking
        condition.broadcast()
        condition.unlock()
        if !first {
            // Asked twice: stop now, leaving the terminal and no processes behind.
            killSubmission()
            terminal?.restore()
            _exit(status)
        }
        if busy {
            StandardOutput.error("\nStopping the check…\n")
            Thread.detachNewThread {
                while self.isChecking {
                    self.killSubmission()
                    usleep(20_000)
                }
            }
        }
    }

    /// Kills every process below this one. Never reaps: the grader waits for its own children.
    private func killSubmission() {
        Orphans.killDescendants()
    }

    // MARK: The polling thread

    private func poll() {
        var readsInput = true
        var line: [UInt8] = []
        var pending: [String] = []
        var lastChange = Date.distantPast
        while true {
            var fds = [pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signals.read, events: Int16(POLLIN), revents: 0)]
            if readsInput { fds.append(pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)) }
            let timeout = pending.isEmpty ? -1 : max(0, Int32((debounce - Date().timeIntervalSince(lastChange)) * 1000) + 1)
            if Glibc.poll(&fds, nfds_t(fds.count), timeout) < 0 && errno != EINTR { return }

            if fds[1].revents != 0 {
                var signal: UInt8 = 0
                if read(signals.read, &signal, 1) == 1 { quit(128 + Int32(signal)) }
            }
            if fds[0].revents != 0 {
                let changes = watcher.readChanges()
                if !changes.isEmpty {
                    pending += changes.filter { !pending.contains($0) }
                    lastChange = Date()
                }
            }
            if readsInput && fds[2].revents != 0 {
                readsInput = readInput(&line)
            }
            if !pending.isEmpty && Date().timeIntervalSince(lastChange) >= debounce {
                // A burst of only temporary files (an editor's, gone again) changes nothing.
                let changes = watcher.settled(pending)
                if !changes.isEmpty { publish(changes) }
                pending = []
            }
        }
    }

    /// Handles what standard input has; false once there is nothing more to read.
    private func readInput(_ line: inout [UInt8]) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count < 0 { return errno == EINTR || errno == EAGAIN }
        if count == 0 {
            // A terminal that reads nothing more is gone (hung up): quit. A pipe or file that
            // ends says nothing: only a `q` line quits.
            if terminal != nil {
                quit(0)
            } else if Self.isQuit(line) {
                quit(0)
            }
            return false
        }
        for byte in buffer[..<count] {
            if terminal != nil {
                switch byte {
                case UInt8(ascii: "q"), UInt8(ascii: "Q"), 4: quit(0)
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"): publish([])
                default: break
                }
            } else if byte == UInt8(ascii: "\n") {
                if Self.isQuit(line) { quit(0) }
                line = []
            } else if line.count < 64 {
                line.append(byte)
            }
        }
        return true
    }

    private static func isQuit(_ line: [UInt8]) -> Bool {
        ["q", "quit"].contains(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }
}
