import Foundation

/// The HTTP/1.1 client checks use to talk to a learner's server. Every exchange is kept
/// (request as sent, response as received), so a failure can show both; nothing is retried
/// or followed. By default each request uses a fresh connection (the contract does not
/// require keep-alive); `keepAlive` reuses one connection, as browsers and load balancers do,
/// and fails clearly when the server mishandles it.
public final class HTTPClient: @unchecked Sendable {
    public let host: String
    public let port: Int
    public let keepAlive: Bool
    /// The latest moment any exchange may end (the check's stage deadline, less a margin).
    public let deadline: Date
    /// The longest one exchange may take.
    public let timeout: Double
    /// Where a check says what it waits for (the grader shows a wait that lasts).
    public let activity: CheckActivity?
    private var connection: HTTPConnection?
    private let lock = NSLock()

    public init(host: String = "127.0.0.1", port: Int, keepAlive: Bool = false, deadline: Date = .distantFuture, timeout: Double = 5,
                activity: CheckActivity? = nil) {
        self.activity = activity
        self.host = host
        self.port = port
        self.keepAlive = keepAlive
        self.deadline = deadline
        self.timeout = timeout
    }

    /// Sends `request` and reads the response. Throws a `CheckFailure` showing the request
    /// when there is no usable response (refused, closed, timed out, not HTTP).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await exchange(request).response
    }

    /// Sends the request; the exchange keeps both sides, the request as it went on the wire,
    /// for assertions and failure messages.
    public func exchange(_ request: HTTPRequest) async throws -> HTTPExchange {
        let wire = onTheWire(request, close: !keepAlive)
        let response = try await Blocking.run { [self] in
            try serialized { try exchange(bytes: wire.bytes, shown: wire.shown, headRequest: request.method == "HEAD") }
        }
        return HTTPExchange(request: request, response: response, shownRequest: wire.shown)
    }

    /// The request as it is sent: `Host`, a `Content-Length` (when there is a body, or the
    /// method takes one) and `Connection: close` (when asked) added unless already there.
    func onTheWire(_ request: HTTPRequest, close: Bool) -> HTTPRequest {
        var wire = request
        if request.header("Host") == nil { wire.headers.insert(("Host", "\(host):\(port)"), at: 0) }
        if request.header("Content-Length") == nil && (!request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method)) {
            wire.headers.append(("Content-Length", String(request.body.count)))
        }
        if close && request.header("Connection") == nil { wire.headers.append(("Connection", "close")) }
        return wire
    }

    /// A keep-alive client has one connection, so its exchanges take turns; otherwise each
    /// has a connection of its own and they run at once (concurrency checks rely on it).
    private func serialized<T>(_ body: () throws -> T) rethrows -> T {
        keepAlive ? try lock.withLock(body) : try body()
    }

    /// Sends raw bytes (a request the checks build by hand: a missing header, a broken
    /// request line) and reads one response. `shown` is how the failure message shows it.
    public func sendRaw(_ bytes: [UInt8], shown: String) async throws -> HTTPResponse {
        try await Blocking.run { [self] in
            try serialized { try exchange(bytes: bytes, shown: shown, headRequest: false) }
        }
    }

    private func exchange(bytes: [UInt8], shown: String, headRequest: Bool) throws -> HTTPResponse {
        let started = Date()
        let limit = min(deadline, started.addingTimeInterval(timeout))
        let token = activity?.begin("waiting for the response to \(shown.firstLine.replacingOccurrences(of: " HTTP/1.1", with: "")) (at most \(SubmissionResult.format(limit.timeIntervalSince(started).rounded(.up))) s)")
        defer { token.map { activity?.end($0) } }
        func failure(_ message: String, hint: String? = nil, received: String? = nil) -> CheckFailure {
            CheckFailure(message, sent: shown, received: received, hint: hint)
        }
        do {
            // Only a keep-alive client (whose exchanges take turns) touches `self.connection`.
            let reused = keepAlive && connection != nil && connection?.isClosed == false
            let connection = try reused ? self.connection! : HTTPConnection(host: host, port: port, deadline: limit)
            if keepAlive { self.connection = connection }
            try connection.write(bytes, deadline: limit)
            do {
                let response = try HTTPResponseReader(connection: connection, deadline: limit, headRequest: headRequest).read()
                if !keepAlive || connection.isClosed { connection.close(); forget() }
                return response
            } catch let error as HTTPResponseReader.Malformed {
                connection.close()
                forget()
                throw failure("the response is not valid HTTP/1.1: \(error.reason)", received: error.received)
            } catch is HTTPConnection.TimedOut {
                connection.close()
                forget()
                let allowed = String(format: "%.1f", limit.timeIntervalSince(started))
                throw failure("no complete response within \(allowed) s",
                              hint: "the handler may be blocked (a lock never released, a channel nobody reads) or never write the response")
            } catch let error as HTTPResponseReader.Closed {
                connection.close()
                forget()
                let hint = reused ? "the connection was reused (keep-alive): a server must keep it open after a response unless it sends `Connection: close`"
                                  : "the server closed the connection without answering; a panic in a handler looks like this"
                throw failure("the server closed the connection \(error.received.isEmpty ? "before sending a response" : "in the middle of the response")",
                              hint: hint, received: error.received.isEmpty ? nil : error.received)
            }
        } catch let error as HTTPConnection.Failure {
            forget()
            throw failure(error.description)
        }
    }

    private func forget() {
        if keepAlive { connection = nil }
    }

    public func close() {
        lock.withLock {
            connection?.close()
            connection = nil
        }
    }
}

/// Reads one HTTP/1.1 response from a connection: status line, headers, and the body by
/// Content-Length, chunked transfer coding, or the end of the stream.
struct HTTPResponseReader {
    let connection: HTTPConnection
    let deadline: Date
    let headRequest: Bool
    /// Generous for any JSON API; a larger response is a flood, not an answer.
    static let maximumBody = 64 << 20
    static let maximumHead = 64 << 10

    struct Malformed: Error {
        let reason: String
        let received: String
    }

    struct Closed: Error {
        let received: String
    }

    func read() throws -> HTTPResponse {
        var response: HTTPResponse
        repeat {
            response = try readHead()
            // 1xx responses (100 Continue) precede the real one.
        } while (100..<200).contains(response.status) && response.status != 101
        let noBody = headRequest || response.status == 204 || response.status == 304
        if noBody { return response }
        if let coding = response.header("Transfer-Encoding")?.lowercased(), coding.contains("chunked") {
            response.body = Data(try readChunked(response))
        } else if let lengthText = response.header("Content-Length") {
            let lengths = Set(lengthText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            guard lengths.count == 1, let length = Int(lengths.first!), length >= 0 else {
                throw Malformed(reason: "Content-Length is not a number: \(lengthText)", received: response.shown)
            }
            guard length <= Self.maximumBody else {
                throw Malformed(reason: "Content-Length \(length) is larger than \(Self.maximumBody) bytes", received: response.shown)
            }
            while connection.pending.count < length {
                guard try connection.fill(deadline: deadline) else {
                    var partial = response
                    partial.body = Data(connection.pending)
                    throw Closed(received: partial.shown + "\n(the body ended after \(connection.pending.count) of \(length) bytes)")
                }
            }
            response.body = Data(connection.pending.prefix(length))
            connection.consume(length)
        } else {
            // Delimited by the end of the stream.
            while try connection.fill(deadline: deadline) {
                if connection.pending.count > Self.maximumBody {
                    throw Malformed(reason: "the body is larger than \(Self.maximumBody) bytes", received: response.shown)
                }
            }
            response.body = Data(connection.pending)
            connection.consume(connection.pending.count)
            connection.markClosing()
        }
        if response.header("Connection")?.lowercased().contains("close") == true || response.version == "HTTP/1.0" {
            connection.markClosing()
        }
        return response
    }

    private func readHead() throws -> HTTPResponse {
        var end: Int?
        while true {
            let pending = connection.pending
            if let found = Self.find([13, 10, 13, 10], in: pending) { end = found; break }
            // Tolerate bare LF line ends only to report them.
            if let found = Self.find([10, 10], in: pending) {
                throw Malformed(reason: "header lines end with a bare LF, not CRLF",
                                received: String(decoding: pending.prefix(found), as: UTF8.self))
            }
            if pending.count > Self.maximumHead {
                throw Malformed(reason: "no end of the headers in the first \(Self.maximumHead) bytes",
                                received: String(decoding: pending.prefix(512), as: UTF8.self))
            }
            guard try connection.fill(deadline: deadline) else {
                throw Closed(received: String(decoding: connection.pending, as: UTF8.self))
            }
        }
        let head = String(decoding: connection.pending.prefix(end!), as: UTF8.self)
        connection.consume(end! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status), parts[1].count == 3 else {
            throw Malformed(reason: "the status line is \"\(statusLine)\"", received: head)
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                throw Malformed(reason: "a header line is not \"Name: value\": \"\(line)\"", received: head)
            }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return HTTPResponse(version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }

    private func readChunked(_ response: HTTPResponse) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            var lineEnd: Int?
            while lineEnd == nil {
                lineEnd = Self.find([13, 10], in: connection.pending)
                if lineEnd == nil {
                    guard try connection.fill(deadline: deadline) else {
                        var partial = response
                        partial.body = Data(body)
                        throw Closed(received: partial.shown + "\n(the chunked body ended without its last chunk)")
                    }
                }
            }
            let sizeLine = String(decoding: connection.pending.prefix(lineEnd!), as: UTF8.self)
            connection.consume(lineEnd! + 2)
            let sizeText = sizeLine.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw Malformed(reason: "a chunk size is not hexadecimal: \"\(sizeLine)\"", received: response.shown)
            }
            guard body.count + size <= Self.maximumBody else {
                throw Malformed(reason: "the body is larger than \(Self.maximumBody) bytes", received: response.shown)
            }
            if size == 0 {
                // Trailers, then an empty line.
                while true {
                    while Self.find([13, 10], in: connection.pending) == nil {
                        guard try connection.fill(deadline: deadline) else { return body }
                    }
                    let end = Self.find([13, 10], in: connection.pending)!
                    connection.consume(end + 2)
                    if end == 0 { return body }
                }
            }
            while connection.pending.count < size + 2 {
                guard try connection.fill(deadline: deadline) else {
                    var partial = response
                    partial.body = Data(body + connection.pending)
                    throw Closed(received: partial.shown + "\n(the chunked body ended inside a chunk)")
                }
            }
            body += connection.pending.prefix(size)
            guard connection.pending[size] == 13, connection.pending[size + 1] == 10 else {
                throw Malformed(reason: "a chunk of \(size) bytes is not followed by CRLF", received: response.shown)
            }
            connection.consume(size + 2)
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        outer: for start in 0...(haystack.count - needle.count) {
            for (offset, byte) in needle.enumerated() where haystack[start + offset] != byte { continue outer }
            return start
        }
        return nil
    }
}

extension HTTPClient {
    /// Sends `requests` as nearly at once as a client can: every connection is opened first,
    /// then every request is written back to back, then the responses are read. Concurrency
    /// checks use it so that the requests overlap inside the server, not one after another
    /// because the checker was slow to start them. Each on its own connection (closed after).
    public func burst(_ requests: [HTTPRequest]) async throws -> [HTTPExchange] {
        let host = self.host, port = self.port
        let limit = min(deadline, Date().addingTimeInterval(timeout + 2))
        let shown = requests.map { onTheWire($0, close: true) }
        // Each connection opened and each response read on a thread of its own, all at once.
        let opened = await Blocking.all(shown.count) { _ in
            Result { try HTTPConnection(host: host, port: port, deadline: limit) }
        }
        defer { for case .success(let connection) in opened { connection.close() } }
        let connections = try opened.enumerated().map { index, result in
            do {
                return try result.get()
            } catch {
                throw CheckFailure("\(error) (connection \(index + 1) of \(shown.count) opened at once)", sent: shown[index].shown)
            }
        }
        try await Blocking.run {
            for (connection, request) in zip(connections, shown) {
                try connection.send(request.bytes, deadline: limit)
            }
        }
        let responses = await Blocking.all(shown.count) { index in
            Result { try connections[index].readResponse(deadline: limit, headRequest: shown[index].method == "HEAD") }
        }
        return try zip(shown, responses).enumerated().map { index, pair in
            switch pair.1 {
            case .success(let response):
                return HTTPExchange(request: requests[index], response: response, shownRequest: pair.0.shown)
            case .failure(let error):
                throw CheckFailure("request \(index + 1) of \(shown.count) sent at once got no response: \(error)", sent: pair.0.shown,
                                   hint: "a handler that crashes or deadlocks under concurrent requests looks like this")
            }
        }
    }
}
