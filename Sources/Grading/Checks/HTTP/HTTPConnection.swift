import Foundation

/// One TCP connection to a learner's server, every step bounded by a deadline: connect,
/// write the request, read one response, each wait a `poll` (see `LoopbackSocket`), so a
/// server that never answers costs a check its time, never the grader a thread forever.
/// Blocking: call it from `Blocking.run`.
///
/// Kept apart from any HTTP library on purpose: a check must see exactly what came back
/// (a missing header, a body longer than its Content-Length, a response to nothing), and
/// must not retry, pool or follow redirects behind the learner's back.
public final class HTTPConnection: @unchecked Sendable {
    public let host: String
    public let port: Int
    private let socket: LoopbackSocket
    private var buffer: [UInt8] = []
    /// Set when the server closed the connection (or said it would).
    public private(set) var isClosed = false

    /// Why a connection failed, in words for a learner.
    public typealias Failure = SocketFailure

    /// Connects before `deadline`; throws `Failure` (refused, timed out) otherwise.
    public init(host: String, port: Int, deadline: Date) throws {
        self.host = host
        self.port = port
        socket = try LoopbackSocket.connect(host: host, port: port, deadline: deadline)
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
            throw Failure("the response is not valid HTTP/1.1: \(error.reason)")
        } catch is TimedOut {
            throw Failure("no complete response in time")
        } catch let error as HTTPResponseReader.Closed {
            throw Failure("the server closed the connection \(error.received.isEmpty ? "before sending a response" : "in the middle of the response")")
        }
    }

    deinit { close() }

    public func close() {
        socket.close()
        isClosed = true
    }

    // MARK: Writing

    /// Writes all of `bytes` before the deadline. A server that closes while a request is
    /// being written (it may answer early, say 413) is not an error here: the response is
    /// read next.
    func write(_ bytes: [UInt8], deadline: Date) throws {
        guard socket.isOpen else { throw Failure("the connection is closed") }
        if case .timedOut(let count) = try socket.send(bytes, deadline: deadline) {
            throw Failure("the server stopped reading the request (\(count) of \(bytes.count) bytes sent) and did not answer in time")
        }
    }

    // MARK: Reading

    /// Reads more bytes into the buffer; false at end of stream.
    func fill(deadline: Date) throws -> Bool {
        switch try socket.receive(deadline: deadline) {
        case .bytes(let bytes):
            buffer += bytes
            return true
        case .closed:
            isClosed = true
            return false
        case .timedOut:
            throw TimedOut()
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
