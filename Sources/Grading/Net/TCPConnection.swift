import Foundation

/// A byte-level client connection for checks of TCP protocols (line echo, the Redis
/// protocol): send bytes, read a count, up to a delimiter, or what is there, and see the
/// server close. Every step is bounded twice: by its own timeout and by the check's
/// `deadline`, whichever comes first. Every byte either way is kept in `transcript`, for
/// failure messages that show exactly what was sent and what came back.
///
/// Reads never throw: they say whether the data came (`.data`), the server closed first
/// (`.closed`, with what arrived before), or nothing complete came in time (`.silent`).
///
/// Blocking: call it from `Blocking.run`, never on the cooperative pool.
public final class TCPConnection: @unchecked Sendable {
    public let host: String
    public let port: Int
    /// No step of this connection waits past it (the check's deadline, usually).
    public let deadline: Date
    /// Everything sent and received so far.
    public private(set) var transcript = ByteTranscript()
    private let socket: LoopbackSocket
    /// Received and not yet returned by a read.
    private var unread: [UInt8] = []

    /// Connects within `timeout` seconds (and before `deadline`); throws `SocketFailure`
    /// ("connection refused by 127.0.0.1:P: nothing listens there …") otherwise.
    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 2, deadline: Date = .distantFuture) throws {
        self.host = host
        self.port = port
        self.deadline = deadline
        socket = try LoopbackSocket.connect(host: host, port: port, deadline: min(deadline, Date().addingTimeInterval(timeout)))
    }

    deinit { socket.close() }

    public func close() {
        socket.close()
    }

    /// When a step that may take `timeout` seconds must end, and how long that allows.
    private func window(_ timeout: Double) -> (until: Date, seconds: Double) {
        let now = Date()
        let seconds = max(0, min(timeout, deadline.timeIntervalSince(now)))
        return (now.addingTimeInterval(seconds), seconds)
    }

    // MARK: Sending

    /// Sends all of `bytes`, or throws a `SocketFailure` saying how much went out and why not
    /// (the server closed the connection; the server stopped reading).
    public func send(_ bytes: [UInt8], timeout: Double = 2) throws {
        let window = self.window(timeout)
        let outcome = try socket.send(bytes, deadline: window.until)
        switch outcome {
        case .all:
            transcript.record(.sent, bytes)
        case .peerClosed(let count):
            transcript.record(.sent, Array(bytes.prefix(count)))
            transcript.peerClosed = true
            throw SocketFailure("the server closed the connection after \(count) of \(bytes.count) bytes were sent")
        case .timedOut(let count):
            transcript.record(.sent, Array(bytes.prefix(count)))
            throw SocketFailure("the server stopped reading: \(count) of \(bytes.count) bytes were sent in \(SubmissionResult.format(window.seconds)) s")
        }
    }

    public func send(_ text: String, timeout: Double = 2) throws {
        try send(Array(text.utf8), timeout: timeout)
    }

    // MARK: Reading

    /// Exactly `count` bytes.
    public func read(count: Int, timeout: Double = 2) -> TCPRead {
        read(timeout: timeout) { $0.count >= count ? count : nil }
    }

    /// The bytes up to and including the first `delimiter` (`\r\n` for the Redis protocol).
    public func read(until delimiter: [UInt8], timeout: Double = 2) -> TCPRead {
        read(timeout: timeout) { unread in Self.find(delimiter, in: unread).map { $0 + delimiter.count } }
    }

    /// The next line, without its `\n` (a `\r` before it is kept: it is part of what came).
    public func readLine(timeout: Double = 2) -> TCPRead {
        switch read(until: [10], timeout: timeout) {
        case .data(let line): return .data(Array(line.dropLast()))
        case let other: return other
        }
    }

    /// What has arrived: the unread bytes if there are any, else the first bytes to come
    /// within `timeout`, with whatever else is already there.
    public func readAvailable(timeout: Double = 2) -> TCPRead {
        if unread.isEmpty {
            let window = self.window(timeout)
            switch receive(until: window.until) {
            case .closed: return .closed(partial: take(unread.count))
            case .timedOut: return .silent(partial: [], seconds: window.seconds)
            case .bytes: break
            }
        }
        // Whatever else is already there, without waiting.
        while case .bytes = receive(until: .distantPast) {}
        return .data(take(unread.count))
    }

    /// Waits for the server to close the connection. `.closed(partial: [])` is a clean close;
    /// bytes it sent first (unread ones included) are in `partial`; `.silent` means it was
    /// still open when the time was up.
    public func expectClosed(timeout: Double = 2) -> TCPRead {
        let window = self.window(timeout)
        while true {
            switch receive(until: window.until) {
            case .closed: return .closed(partial: take(unread.count))
            case .timedOut: return .silent(partial: unread, seconds: window.seconds)
            case .bytes: continue
            }
        }
    }

    /// Reads until `complete` says how many of the unread bytes make the answer.
    private func read(timeout: Double, _ complete: ([UInt8]) -> Int?) -> TCPRead {
        let window = self.window(timeout)
        while true {
            if let count = complete(unread) { return .data(take(count)) }
            switch receive(until: window.until) {
            case .bytes: continue
            case .closed: return .closed(partial: take(unread.count))
            case .timedOut: return .silent(partial: unread, seconds: window.seconds)
            }
        }
    }

    /// One chunk into `unread` and the transcript. A socket error the system reports counts
    /// as the connection ending: a check can do nothing more with it either way.
    private func receive(until: Date) -> LoopbackSocket.Received {
        let received = (try? socket.receive(deadline: until)) ?? .closed
        switch received {
        case .bytes(let bytes):
            unread += bytes
            transcript.record(.received, bytes)
        case .closed:
            transcript.peerClosed = true
        case .timedOut:
            break
        }
        return received
    }

    private func take(_ count: Int) -> [UInt8] {
        defer { unread.removeFirst(count) }
        return Array(unread.prefix(count))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// What one read of a `TCPConnection` got.
public enum TCPRead: Equatable, Sendable {
    /// What was asked for.
    case data([UInt8])
    /// The server closed the connection first; `partial` is what it sent before, unread.
    case closed(partial: [UInt8])
    /// Nothing complete arrived in time; `partial` is what did (it stays unread), `seconds`
    /// how long the read was allowed to wait (less than asked when the check's deadline came first).
    case silent(partial: [UInt8], seconds: Double)
}
