import Foundation
import NIOCore
import NIOHTTP1

/// One connection to the upstream. Requests on it come one at a time (NIO's pipelining
/// handler holds the next until this one is answered); each is recorded as it arrives and
/// answered from an event-loop timer.
final class UpstreamHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: UpstreamServer.State
    private var connection = 0
    private var generation = 0
    /// The request being answered: its index in the recording and its timer.
    private var current: (index: Int, head: HTTPRequestHead, timer: Scheduled<Void>?)?

    init(state: UpstreamServer.State) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        (connection, generation) = state.locked { values in
            values.recording.connectionsOpened += 1
            values.open.append(channel)
            return (values.recording.connectionsOpened, values.generation)
        }
        state.log?("connection \(connection) opened")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        let (connection, generation) = (connection, generation)
        state.locked { values in
            values.open.removeAll { $0 === channel }
            if values.generation == generation { values.recording.connectionsClosed[connection] = Date() }
        }
        if let current {
            current.timer?.cancel()
            finish(.clientWentAway)
        }
        state.log?("connection \(connection) closed")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            begin(head)
        case .body:
            break
        case .end:
            guard let current else { return }
            answer(context: context, index: current.index, head: current.head)
        }
    }

    /// Records the request's arrival.
    private func begin(_ head: HTTPRequestHead) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let item = Self.item(of: path)
        let (index, record) = state.locked { values -> (Int, UpstreamRecording.Request) in
            let attempt = item.map { item in values.recording.requests.filter { $0.item == item }.count + 1 } ?? 1
            let record = UpstreamRecording.Request(number: values.recording.requests.count + 1, connection: connection,
                                                   method: head.method.rawValue, path: path, item: head.method == .GET ? item : nil,
                                                   attempt: attempt, arrived: Date(), ended: nil, outcome: .inFlight)
            values.recording.requests.append(record)
            values.inFlight += 1
            values.recording.mostInFlight = max(values.recording.mostInFlight, values.inFlight)
            return (values.recording.requests.count - 1, record)
        }
        current = (index, head, nil)
        let inFlight = state.locked { $0.inFlight }
        state.log?("-> #\(record.number) \(record.method) \(record.path)\(record.attempt > 1 ? " (attempt \(record.attempt))" : "") on connection \(connection), \(inFlight) in flight")
    }

    /// `n` of `/work/{n}`.
    static func item(of path: String) -> Int? {
        guard path.hasPrefix("/work/") else { return nil }
        return Int(path.dropFirst(6))
    }

    private func answer(context: ChannelHandlerContext, index: Int, head: HTTPRequestHead) {
        let (record, settings) = state.locked { ($0.recording.requests.indices.contains(index) ? $0.recording.requests[index] : nil, $0.settings) }
        guard let record, let item = record.item else {
            let method = head.method
            respond(context: context, status: method == .GET ? .notFound : .methodNotAllowed,
                    body: #"{"error":"only GET /work/{n} is served, n a whole number"}"#, keepAlive: head.isKeepAlive)
            return
        }
        let failure = settings.failure(item: item, attempt: record.attempt)
        let latency = settings.latency(item: item, attempt: record.attempt)
        if failure == .hang { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let keepAlive = head.isKeepAlive
        let timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(latency * 1_000_000_000))) { [self] in
            let context = loopBound.value
            switch failure {
            case nil:
                respond(context: context, status: .ok, body: #"{"n":\#(item),"result":\#(2 * item)}"#, keepAlive: keepAlive)
            case .status(let code)?:
                respond(context: context, status: HTTPResponseStatus(statusCode: code),
                        body: #"{"error":"item \#(item) failed (\#(code))"}"#, keepAlive: keepAlive)
            case .reset?:
                finish(.reset)
                if let provider = context.channel as? any SocketOptionProvider {
                    _ = provider.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                }
                context.close(promise: nil)
            case .slowBody(let seconds)?:
                respondSlowly(context: context, body: #"{"n":\#(item),"result":\#(2 * item)}"#, seconds: seconds, keepAlive: keepAlive)
            case .hang?:
                break
            }
        }
        current?.timer = timer
    }

    private func headers(body: String, keepAlive: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(body.utf8.count))])
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        return headers
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, body: String, keepAlive: Bool) {
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers(body: body, keepAlive: keepAlive)))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        end(context: context, status: Int(status.code), keepAlive: keepAlive)
    }

    /// The head at once, then the body a byte at a time spread over `seconds`.
    private func respondSlowly(context: ChannelHandlerContext, body: String, seconds: Double, keepAlive: Bool) {
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers(body: body, keepAlive: keepAlive)))), promise: nil)
        let bytes = Array(body.utf8)
        let step = Int64(seconds * 1_000_000_000) / Int64(max(1, bytes.count))
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        func send(_ offset: Int) {
            guard current != nil else { return }
            let context = loopBound.value
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes[offset...offset])))), promise: nil)
            if offset + 1 == bytes.count {
                end(context: context, status: 200, keepAlive: keepAlive)
            } else {
                current?.timer = context.eventLoop.scheduleTask(in: .nanoseconds(step)) { send(offset + 1) }
            }
        }
        current?.timer = context.eventLoop.scheduleTask(in: .nanoseconds(step)) { send(0) }
    }

    /// Records the answer as ended, then sends its end. Recorded first: a client can read the
    /// whole answer and send its next request before a write's completion runs here, and the
    /// count in flight must not see the answered request and the next one at once.
    private func end(context: ChannelHandlerContext, status: Int, keepAlive: Bool) {
        finish(.answered(status))
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { _ in
            if !keepAlive { loopBound.value.close(promise: nil) }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    /// Records how the current request ended.
    private func finish(_ outcome: UpstreamRecording.Outcome) {
        guard let current else { return }
        self.current = nil
        let ended = Date()
        let record = state.locked { values -> UpstreamRecording.Request? in
            guard values.generation == generation, values.recording.requests.indices.contains(current.index) else { return nil }
            values.recording.requests[current.index].ended = ended
            values.recording.requests[current.index].outcome = outcome
            values.inFlight -= 1
            return values.recording.requests[current.index]
        }
        if let record, let seconds = record.seconds {
            state.log?("<- #\(record.number) \(record.path) \(outcome) after \(String(format: "%.1f", seconds * 1000)) ms")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
