import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a learner's server, every step bounded by a deadline: connect,
/// write the request, read one response. Blocking sockets driven by `poll`, so a server
/// that never answers costs a check its time, never the grader a thread forever.
///
/// Kept apart from any HTTP library on purpose: a check must see exactly what came back
/// (a missing header, a body longer than its Content-Length, a response to nothing), and
/// must not retry, pool or follow redirects behind the learner's back.
public final class HTTPConnection: @unchecked Sendable {
    public let host: String
    public let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    /// Set when the server closed the connection (or said it would).
    public private(set) var isClosed = false

    /// Connects before `deadline`; throws `Failure` (refused, timed out) otherwise.
    public init(host: String, port: Int, deadline: Date) throws {
        self.host = host
        self.port = port
        try connect(deadline: deadline)
    }

    /// For checks that drive a connection by hand (a request sent in parts, a connection
    /// left idle): sends bytes as they are.
    public func send(_ bytes: [UInt8], deadline: Date) throws {
        try write(bytes, deadline: deadline)
    }

    /// Reads one response; throws `CheckFailure`-ready errors as `Failure` with a reason.
    public func readResponse(deadline: Date, headRequest: Bool = false) throws -> HTTPResponse {
        do {
            return try HTTPResponseReader(connection: self, deadline: deadline, headRequest: headRequest).read()
        } catch let error as HTTPResponseReader.Malformed {
            throw Failure(description: "the response is not valid HTTP/1.1: \(error.reason)")
        } catch is TimedOut {
            throw Failure(description: "no complete response in time")
        } catch let error as HTTPResponseReader.Closed {
            throw Failure(description: "the server closed the connection \(error.received.isEmpty ? "before sending a response" : "in the middle of the response")")
        }
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        isClosed = true
    }

    /// Why a connection failed, in words for a learner.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private func connect(deadline: Date) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "cannot create a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 && errno != EINPROGRESS { throw connectFailure(errno) }
        if result != 0 {
            guard try wait(for: Int16(POLLOUT), deadline: deadline) else {
                close()
                throw Failure(description: "could not connect to \(host):\(port) in time (the server accepts no connections)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { throw connectFailure(error) }
        }
    }

    private func connectFailure(_ code: Int32) -> Failure {
        close()
        if code == ECONNREFUSED {
            return Failure(description: "connection refused by \(host):\(port): nothing listens there (did the server stop?)")
        }
        return Failure(description: "cannot connect to \(host):\(port): \(String(cString: strerror(code)))")
    }

    /// Waits until the socket is ready for `events`; false when the deadline passed first.
    private func wait(for events: Int16, deadline: Date) throws -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left * 1000, 1000).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR {
                throw Failure(description: "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    // MARK: Writing

    /// Writes all of `bytes` before the deadline. A server that closes while a request is
    /// being written (it may answer early, say 413) is not an error here: the response is
    /// read next.
    func write(_ bytes: [UInt8], deadline: Date) throws {
        guard fd >= 0 else { throw Failure(description: "the connection is closed") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 { offset += written; continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard try wait(for: Int16(POLLOUT), deadline: deadline) else {
                    throw Failure(description: "the server stopped reading the request (\(offset) of \(bytes.count) bytes sent) and did not answer in time")
                }
                continue
            }
            if written < 0 && errno == EINTR { continue }
            if errno == EPIPE || errno == ECONNRESET { return }
            throw Failure(description: "cannot send the request: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: Reading

    /// Reads more bytes into the buffer; false at end of stream.
    func fill(deadline: Date) throws -> Bool {
        guard fd >= 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { isClosed = true; return false }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                guard try wait(for: Int16(POLLIN), deadline: deadline) else { throw TimedOut() }
                continue
            }
            if errno == ECONNRESET { isClosed = true; return false }
            throw Failure(description: "cannot read the response: \(String(cString: strerror(errno)))")
        }
    }

    struct TimedOut: Error {}

    /// The bytes read and not yet consumed.
    var pending: [UInt8] { buffer }

    func consume(_ count: Int) {
        buffer.removeFirst(min(count, buffer.count))
    }

    /// Marks the connection unusable after this response (`Connection: close`, or a body
    /// delimited by the end of the stream).
    func markClosing() {
        isClosed = true
    }
}
