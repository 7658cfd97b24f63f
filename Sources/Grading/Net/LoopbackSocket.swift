import CProcessSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP socket to or on an IPv4 address (127.0.0.1 in practice: learners' servers and
/// the grader's own in-process servers), the only place the grader speaks to the socket API.
///
/// Every socket is close-on-exec, so a program the grader starts meanwhile (a parallel
/// grading's submission) never inherits one and keeps a port taken; and non-blocking, so
/// every wait is a `poll` with a deadline: a peer that never answers costs a check its time,
/// never the grader a thread forever. Blocking all the same: call it through `Blocking`.
public final class LoopbackSocket: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var open = true

    /// False once closed: the descriptor's number may belong to another socket by then, so
    /// nothing may touch it.
    public var isOpen: Bool { lock.withLock { open } }

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    /// Closes the socket (once; later calls do nothing).
    public func close() {
        let wasOpen = lock.withLock {
            defer { open = false }
            return open
        }
        if wasOpen { Glibc.close(fd) }
    }

    // MARK: Making one

    private static func make() throws -> LoopbackSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SocketFailure("cannot create a socket: \(String(cString: strerror(errno)))") }
        return LoopbackSocket(fd: fd)
    }

    /// The one place an IPv4 socket address is built.
    private static func withAddress<T>(host: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard (0...65535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SocketFailure("\(host):\(port) is not an IPv4 address and port")
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// The port the socket is bound to (a listener on port 0 learns its port here).
    public var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? Int(UInt16(bigEndian: address.sin_port)) : 0
    }

    // MARK: Client side

    /// Connects to `host:port` before `deadline`, or throws a sentence saying why not:
    /// refused (nothing listens), not in time (nothing accepts), or the system's reason.
    public static func connect(host: String = "127.0.0.1", port: Int, deadline: Date) throws -> LoopbackSocket {
        let socket = try make()
        var one: Int32 = 1
        setsockopt(socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = try withAddress(host: host, port: port) { Glibc.connect(socket.fd, $0, $1) }
        var code = result == 0 ? 0 : errno
        if code == EINPROGRESS {
            guard try socket.wait(for: Int16(POLLOUT), deadline: deadline) else {
                socket.close()
                throw SocketFailure("could not connect to \(host):\(port) in time (the server accepts no connections)")
            }
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &code, &length)
        }
        guard code != 0 else { return socket }
        socket.close()
        if code == ECONNREFUSED { throw refused(host: host, port: port) }
        throw SocketFailure("cannot connect to \(host):\(port): \(String(cString: strerror(code)))")
    }

    /// True when a connection to 127.0.0.1:`port` is accepted within `seconds` (a readiness
    /// probe: a listener whose backlog is full counts as not ready yet, not as a hang).
    public static func accepts(port: Int, within seconds: Double = 0.25) -> Bool {
        guard let socket = try? connect(port: port, deadline: Date().addingTimeInterval(seconds)) else { return false }
        socket.close()
        return true
    }

    private static func refused(host: String, port: Int) -> SocketFailure {
        SocketFailure("connection refused by \(host):\(port): nothing listens there (did the server stop?)")
    }

    /// True when a connection to 127.0.0.1:`port` is refused: nothing listens there (a
    /// server that was stopped, say). Not the same as `!accepts`: a listener that does not
    /// accept in time is neither.
    public static func refuses(port: Int, within seconds: Double = 5) -> Bool {
        do {
            try connect(port: port, deadline: Date().addingTimeInterval(seconds)).close()
            return false
        } catch {
            return error as? SocketFailure == refused(host: "127.0.0.1", port: port)
        }
    }

    /// A port nothing listens on now: bind port 0, read the port back, close.
    public static func freePort() throws -> Int {
        let socket = try make()
        defer { socket.close() }
        let bound = try withAddress(host: "127.0.0.1", port: 0) { bind(socket.fd, $0, $1) }
        guard bound == 0 else { throw SocketFailure("cannot find a free port: \(String(cString: strerror(errno)))") }
        return socket.localPort
    }

    // MARK: Server side

    /// A listener on `host:port` (port 0: any free port, read back from `localPort`). With
    /// SO_REUSEADDR, so a server restarted on its port does not wait out TIME_WAIT.
    public static func listen(host: String = "127.0.0.1", port: Int, backlog: Int32 = 128) throws -> LoopbackSocket {
        let socket = try make()
        var yes: Int32 = 1
        setsockopt(socket.fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = try withAddress(host: host, port: port) { bind(socket.fd, $0, $1) }
        guard bound == 0, Glibc.listen(socket.fd, backlog) == 0 else {
            let reason = String(cString: strerror(errno))
            socket.close()
            throw SocketFailure("cannot listen on \(host):\(port): \(reason)")
        }
        return socket
    }

    /// The next connection a client made, waiting at most `seconds`; nil when none came.
    public func accept(timeout seconds: Double) throws -> LoopbackSocket? {
        let deadline = Date().addingTimeInterval(seconds)
        while isOpen {
            let client = cps_accept_cloexec_nonblock(fd)
            if client >= 0 { return LoopbackSocket(fd: client) }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK:
                guard try wait(for: Int16(POLLIN), deadline: deadline) else { return nil }
            default:
                throw SocketFailure("cannot accept a connection: \(String(cString: strerror(errno)))")
            }
        }
        return nil
    }

    // MARK: Reading and writing

    /// Waits until the socket is ready for `events` (or has an error or hang-up to report);
    /// false when `deadline` passed first.
    public func wait(for events: Int16, deadline: Date) throws -> Bool {
        while isOpen {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left * 1000, 1000).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR {
                throw SocketFailure("poll failed: \(String(cString: strerror(errno)))")
            }
        }
        return true
    }

    public enum Received: Equatable, Sendable {
        case bytes([UInt8])
        /// The peer closed its side (or reset the connection): nothing more will come.
        case closed
        case timedOut
    }

    /// The next bytes that arrive, at most `maximum`, waiting until `deadline` (bytes already
    /// there are returned even when the deadline has passed).
    public func receive(maximum: Int = 65536, deadline: Date) throws -> Received {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while isOpen {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return .bytes(Array(chunk[0..<count])) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard try wait(for: Int16(POLLIN), deadline: deadline) else { return .timedOut }
            case ECONNRESET, ENOTCONN, EBADF: return .closed
            default: throw SocketFailure("cannot read from the connection: \(String(cString: strerror(errno)))")
            }
        }
        return .closed
    }

    public enum Sent: Equatable, Sendable {
        case all
        /// The peer closed or reset the connection after `count` bytes went out.
        case peerClosed(after: Int)
        /// The peer stopped reading: `count` bytes went out before the deadline.
        case timedOut(after: Int)
    }

    /// Writes all of `bytes` before `deadline`, or says how far it got and why it stopped.
    public func send<Bytes: Collection<UInt8>>(_ bytes: Bytes, deadline: Date) throws -> Sent {
        let bytes = Array(bytes)
        var offset = 0
        while offset < bytes.count {
            guard isOpen else { return .peerClosed(after: offset) }
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard try wait(for: Int16(POLLOUT), deadline: deadline) else { return .timedOut(after: offset) }
            case EPIPE, ECONNRESET, ENOTCONN, EBADF: return .peerClosed(after: offset)
            default: throw SocketFailure("cannot send: \(String(cString: strerror(errno)))")
            }
        }
        return .all
    }
}

/// Why a socket step failed, as a sentence a learner can act on.
public struct SocketFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
