import NIOCore

/// One client connection: runs each decoded command and writes its reply, replies in the
/// order of the commands (pipelining), flushed once per read. A protocol error is answered
/// and the connection closed, as redis-server does; QUIT closes after its +OK.
///
/// Replies are bounded for a client that does not read them: commands wait in a queue
/// while the connection is not writable (its socket and NIO's buffer above the high-water
/// mark are full), reading stops, and a client that stays that way for
/// `CacheServer.unreadLimitSeconds` is disconnected. Four thousand GETs of a 1 MB value sent
/// by a client that never reads cost the server a few MB, not 4 GB.
final class CacheConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    let shared: CacheServer.Shared
    private var client = CacheClient(id: 0)
    private var queue = CircularBuffer<RESPRequest>()
    private var pending: ByteBuffer?
    private var closing = false
    private var unwritableSince: NIODeadline?
    /// A check holds this connection's replies (`CacheServer.holdNextWrite`): commands wait
    /// in the queue until it lets go.
    private var holding = false
    /// The time the commands of the current read run at.
    private var batchNow: Int64?
    /// Replies are handed to the channel in pieces of about this size.
    static let writeChunk = 64 * 1024

    init(shared: CacheServer.Shared) {
        self.shared = shared
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let id = shared.locked { values -> Int in
            values.open.append(channel)
            values.state.connectionsReceived += 1
            values.state.connectedClients += 1
            defer { values.nextClientID += 1 }
            return values.nextClientID
        }
        client = CacheClient(id: id)
        shared.log?("client \(id) connected")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        shared.locked { values in
            values.open.removeAll { $0 === channel }
            values.state.connectedClients -= 1
        }
        queue.removeAll()
        shared.log?("client \(client.id) disconnected")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        queue.append(unwrapInboundIn(data))
        if holding {
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
            return
        }
        // The commands of one read run together when it is complete; a read that holds very
        // many runs in parts.
        if queue.count >= 1024 { drain(context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if holding {
            context.fireChannelReadComplete()
            return
        }
        drain(context)
        batchNow = nil
        flush(context)
        context.fireChannelReadComplete()
    }

    /// Runs queued commands while the client takes replies: as many as are queued under one
    /// hold of the store's lock (a pipeline of 16 takes the lock once, not 16 times), their
    /// replies into one buffer, handed to the channel in pieces of `writeChunk`.
    private func drain(_ context: ChannelHandlerContext) {
        while !closing, !holding, context.channel.isWritable, let first = queue.first {
            var buffer = pending ?? context.channel.allocator.buffer(capacity: 256)
            if case .protocolError(let message) = first {
                queue.removeFirst()
                RESPReply.error("ERR " + message).write(into: &buffer)
                shared.log?("client \(client.id): \(message); closing the connection")
                closing = true
                pending = buffer
                break
            }
            let now = batchNow ?? CacheStore.now()
            batchNow = now
            var hold = false
            var releases: [@Sendable () -> Void] = []
            let log = shared.log
            var said: [String] = []
            shared.locked { (values: inout CacheServer.Shared.Values) in
                while !hold, !client.closing, buffer.readableBytes < Self.writeChunk, case .command(let arguments)? = queue.first {
                    queue.removeFirst()
                    let reply = values.run(arguments, client: &client, now: now)
                    if values.hold.active {
                        let decision = values.hold.consider(arguments, reply: reply, client: client.id) { self.resumer(context) }
                        hold = decision.hold
                        if let release = decision.release { releases.append(release) }
                    }
                    if log != nil { said.append("client \(client.id): \(Self.describe(arguments)) → \(Self.describe(reply))") }
                    reply.write(into: &buffer, resp3: client.resp3)
                }
            }
            for release in releases { release() }
            if let log { for line in said { log(line) } }
            if hold { startHolding(context) }
            if client.closing { closing = true }
            pending = buffer
            if !holding, buffer.readableBytes >= Self.writeChunk {
                pending = nil
                context.write(wrapOutboundOut(buffer), promise: nil)
            }
        }
        if holding {
            return
        } else if closing {
            flush(context)
        } else if !queue.isEmpty {
            // Not writable: stop reading until the client catches up.
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
            flush(context)
        }
    }

    /// Holds the replies written so far (the held write's among them) until `resume`.
    private func startHolding(_ context: ChannelHandlerContext) {
        holding = true
        let shared = self.shared
        let seconds = shared.locked { $0.hold.seconds }
        context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            shared.locked { $0.hold.timedOut() }?()
        }
    }

    /// A closure that lets this connection's held replies go, from any thread.
    private func resumer(_ context: ChannelHandlerContext) -> @Sendable () -> Void {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        return { loop.execute { bound.value.0.resume(bound.value.1) } }
    }

    private func resume(_ context: ChannelHandlerContext) {
        guard holding else { return }
        holding = false
        guard context.channel.isActive else { return }
        batchNow = nil
        drain(context)
        flush(context)
        if queue.isEmpty && context.channel.isWritable { context.channel.setOption(.autoRead, value: true).whenFailure { _ in } }
    }

    private func flush(_ context: ChannelHandlerContext) {
        if holding { return }
        if let buffer = pending, buffer.readableBytes > 0 {
            pending = nil
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
        if closing {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        context.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            unwritableSince = nil
            batchNow = nil
            drain(context)
            flush(context)
            if queue.isEmpty { context.channel.setOption(.autoRead, value: true).whenFailure { _ in } }
        } else {
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
            let started = NIODeadline.now()
            unwritableSince = started
            let id = client.id
            let log = shared.log
            context.eventLoop.scheduleTask(in: .seconds(CacheServer.unreadLimitSeconds)) { [weak self] in
                guard let self, self.unwritableSince == started else { return }
                log?("client \(id) has not read its replies for \(CacheServer.unreadLimitSeconds) s; disconnecting it")
                self.queue.removeAll()
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func describe(_ arguments: [[UInt8]]) -> String {
        arguments.prefix(6).map { argument in
            let text = String(decoding: argument.prefix(40), as: UTF8.self)
            return argument.count > 40 ? text + "…" : text
        }.joined(separator: " ") + (arguments.count > 6 ? " … (\(arguments.count) arguments)" : "")
    }

    static func describe(_ reply: RESPReply) -> String {
        if case .bulk(let value) = reply, value.count > 60 {
            return "$\(value.count) " + String(decoding: value.prefix(40), as: UTF8.self) + "…"
        }
        let bytes = reply.bytes
        let text = String(decoding: bytes.prefix(60), as: UTF8.self).replacingOccurrences(of: "\r\n", with: " ")
        return bytes.count > 60 ? text + "…" : text.trimmingCharacters(in: .whitespaces)
    }
}
