import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The reference echo server, run in-process on threads: every byte a client sends is sent
/// back, so every line comes back as it was. A `Flaw` makes it one of the piece's mutants.
final class EchoServer: @unchecked Sendable {
    enum Flaw: Sendable {
        case faithful
        /// Serves a connection to its end before accepting the next.
        case serial
    }

    private let listener: Int32
    private let flaw: Flaw
    private let threads = DispatchGroup()
    private let lock = NSLock()
    private var stopping = false

    /// The server as the grader starts it: on a port it is given, stopped when grading ends.
    static func server(_ flaw: Flaw) -> InProcessServer {
        InProcessServer { port, _ in
            let server = try EchoServer(port: port, flaw: flaw)
            return InProcessServer.Instance { await server.stop() }
        }
    }

    init(port: Int, flaw: Flaw) throws {
        self.flaw = flaw
        // Close-on-exec: a program the grader starts meanwhile must not inherit the listener
        // and keep the port taken after `stop()` (a restart would fail with "in use").
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw CourseError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw CourseError("the echo server cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        spawn { self.acceptLoop() }
    }

    /// Stops accepting, closes every connection, and returns once every thread has ended.
    func stop() async {
        lock.withLock { stopping = true }
        let group = threads
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            body()
            threads.leave()
        }
        thread.name = "course-echo-server"
        thread.start()
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopping {
            guard Self.waitReadable(listener) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            switch flaw {
            case .faithful: spawn { self.serve(connection) }
            case .serial: serve(connection)
            }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isStopping {
            guard Self.waitReadable(connection) else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            var offset = 0
            while offset < count {
                let sent = buffer.withUnsafeBytes { send(connection, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// Waits up to a tenth of a second, so the loops see `stop()` soon.
    private static func waitReadable(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 100) > 0
    }
}
