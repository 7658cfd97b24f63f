import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client's TCP connection to 127.0.0.1 that sends text and reads the answer line by
/// line, every wait bounded. Blocking: use it from `Blocking.run`.
final class LineConnection: @unchecked Sendable {
    enum Reply: Equatable {
        case line(String)
        /// The server closed the connection; `partial` is what came after the last newline.
        case closed(partial: String)
        /// Nothing complete arrived in time.
        case silent(partial: String)
    }

    private let fd: Int32
    private var pending: [UInt8] = []
    private var isOpen = true

    /// Connects, or throws a sentence saying why not ("Connection refused").
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConnectionError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ConnectionError("cannot connect to 127.0.0.1:\(port): \(reason)")
        }
    }

    deinit { close() }

    /// Sends all of `text`; throws when the server no longer reads.
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw ConnectionError("sending failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// The next line (without its newline), waiting at most `seconds` for it.
    func readLine(within seconds: Double) -> Reply {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return .line(line)
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return .silent(partial: String(decoding: pending, as: UTF8.self)) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left, 0.1) * 1000) + 1)
            if ready < 0 && errno != EINTR { return .closed(partial: String(decoding: pending, as: UTF8.self)) }
            if ready <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                return .closed(partial: String(decoding: pending, as: UTF8.self))
            }
            pending += buffer[..<count]
        }
    }

    func close() {
        if isOpen { Glibc.close(fd) }
        isOpen = false
    }
}

struct ConnectionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
