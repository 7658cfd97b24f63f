import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal on standard input in cbreak mode: keys arrive one at a time, unechoed,
/// while Ctrl-C still sends SIGINT. `restore()` puts back the settings found; the watcher
/// calls it on every way out (q, end of input, SIGINT, SIGTERM, SIGHUP, errors).
final class TerminalMode: @unchecked Sendable {
    private let fd: Int32
    private let saved: termios
    private let lock = NSLock()
    private var restored = false

    /// Enters cbreak mode, or returns nil when `fd` is not a terminal.
    static func cbreak(_ fd: Int32 = STDIN_FILENO) -> TerminalMode? {
        guard isatty(fd) == 1 else { return nil }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        let mode = TerminalMode(fd: fd, saved: settings)
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else { return nil }
        return mode
    }

    private init(fd: Int32, saved: termios) {
        self.fd = fd
        self.saved = saved
    }

    /// Puts the terminal back as it was; later calls do nothing.
    func restore() {
        lock.lock()
        defer { lock.unlock() }
        guard !restored else { return }
        restored = true
        var settings = saved
        _ = tcsetattr(fd, TCSANOW, &settings)
    }

    deinit {
        restore()
    }
}
