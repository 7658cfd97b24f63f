import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small TCP server on threads, for the servers a piece runs in-process (a reference, a
/// mutant, an instrumented upstream) and for tests: an accept loop on a thread of its own,
/// each connection handled on a thread of its own (or one after another, for a mutant that
/// serves one client at a time), and a `stop()` that ends every one of those threads.
///
/// Threads, not the cooperative pool: a handler blocked on a client that sends nothing must
/// never hold one of the few threads the grader's tasks share.
public final class ThreadedListener: @unchecked Sendable {
    public enum Serving: Sendable {
        /// Each connection on its own thread, at once.
        case concurrently
        /// One connection served to its end before the next is accepted.
        case oneAtATime
    }

    /// The port it listens on (the one asked for, or the one port 0 got).
    public let port: Int
    private let socket: LoopbackSocket
    private let serving: Serving
    private let name: String
    private let handler: @Sendable (Connection) -> Void
    private let threads = DispatchGroup()
    private let lock = NSLock()
    private var stopping = false

    /// Listens on 127.0.0.1:`port` (0 for any free port) and starts accepting; `handler`
    /// serves one connection, which is closed when it returns. Throws `SocketFailure` when
    /// the port cannot be had.
    public init(port: Int = 0, name: String, serving: Serving = .concurrently, handler: @escaping @Sendable (Connection) -> Void) throws {
        socket = try LoopbackSocket.listen(port: port)
        self.port = socket.localPort
        self.serving = serving
        self.name = name
        self.handler = handler
        spawn { self.acceptLoop() }
    }

    /// True once `stop()` was called: handlers that loop should end.
    public var isStopping: Bool { lock.withLock { stopping } }

    /// Stops accepting, ends every connection (a handler's next receive or send fails), and
    /// returns once every thread has ended and the port is free again.
    public func stop() async {
        lock.withLock { stopping = true }
        let group = threads
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            body()
            threads.leave()
        }
        thread.name = name
        thread.start()
    }

    /// Checks for `stop()` every tenth of a second.
    static let slice = 0.1

    private func acceptLoop() {
        defer { socket.close() }
        while !isStopping {
            let accepted: LoopbackSocket?
            do {
                accepted = try socket.accept(timeout: Self.slice)
            } catch {
                // Out of descriptors, say: wait a little rather than spin.
                usleep(10_000)
                continue
            }
            guard let accepted else { continue }
            let connection = Connection(socket: accepted, listener: self)
            switch serving {
            case .concurrently: spawn { connection.serve() }
            case .oneAtATime: connection.serve()
            }
        }
    }

    /// One client's connection as a handler sees it.
    public final class Connection: @unchecked Sendable {
        let socket: LoopbackSocket
        private let listener: ThreadedListener

        init(socket: LoopbackSocket, listener: ThreadedListener) {
            self.socket = socket
            self.listener = listener
        }

        func serve() {
            defer { socket.close() }
            listener.handler(self)
        }

        /// The next bytes the client sent; nil once it closed the connection or the
        /// listener is stopping.
        public func receive() -> [UInt8]? {
            while !listener.isStopping {
                switch try? socket.receive(deadline: Date().addingTimeInterval(ThreadedListener.slice)) {
                case .bytes(let bytes): return bytes
                case .timedOut: continue
                case .closed, nil: return nil
                }
            }
            return nil
        }

        /// Sends all of `bytes`; false when the client is gone or the listener is stopping.
        @discardableResult
        public func send<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            var rest = Array(bytes)
            while !listener.isStopping {
                switch try? socket.send(rest, deadline: Date().addingTimeInterval(ThreadedListener.slice)) {
                case .all: return true
                case .timedOut(let count): rest.removeFirst(count)
                case .peerClosed, nil: return false
                }
            }
            return false
        }
    }
}
