import NIOCore

/// One client connection: runs each decoded command and writes its reply, replies in the
/// order of the commands (pipelining), flushed once per read. A protocol error is answered
/// and the connection closed, as redis-server does; QUIT closes after its +OK.
final class CacheConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    let shared: CacheServer.Shared
    private var client = CacheClient(id: 0)
    private var pending: ByteBuffer?
    private var closing = false
    private var unreadSince: NIODeadline?
    /// The time the commands of the current read run at.
    private var batchNow: Int64?

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
        shared.log?("client \(client.id) disconnected")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var buffer = pending ?? context.channel.allocator.buffer(capacity: 256)
        switch unwrapInboundIn(data) {
        case .command(let arguments):
            let now = batchNow ?? CacheStore.now()
            batchNow = now
            let reply = shared.locked { values in CacheCommands.execute(arguments, client: &client, state: &values.state, now: now) }
            if let log = shared.log { log("client \(client.id): \(Self.describe(arguments)) → \(Self.describe(reply))") }
            reply.write(into: &buffer, resp3: client.resp3)
            if client.closing { closing = true }
        case .protocolError(let message):
            RESPReply.error("ERR " + message).write(into: &buffer)
            shared.log?("client \(client.id): \(message); closing the connection")
            closing = true
        }
        pending = buffer
        if closing { flush(context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        batchNow = nil
        flush(context)
        context.fireChannelReadComplete()
    }

    private func flush(_ context: ChannelHandlerContext) {
        if let buffer = pending, buffer.readableBytes > 0 {
            pending = nil
            if closing {
                context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in context.close(promise: nil) }
                return
            }
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    /// A client that stops reading fills its socket and then the write buffer: reading from
    /// it stops (so nothing more piles up), and after a while it is disconnected.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        context.channel.setOption(.autoRead, value: writable).whenFailure { _ in }
        if writable {
            unreadSince = nil
        } else {
            let started = NIODeadline.now()
            unreadSince = started
            let id = client.id
            let log = shared.log
            context.eventLoop.scheduleTask(in: .seconds(CacheServer.unreadLimitSeconds)) { [weak self] in
                guard let self, self.unreadSince == started else { return }
                log?("client \(id) has not read its replies for \(CacheServer.unreadLimitSeconds) s; disconnecting it")
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
        let bytes = reply.bytes
        let text = String(decoding: bytes.prefix(60), as: UTF8.self).replacingOccurrences(of: "\r\n", with: " ")
        return bytes.count > 60 ? text + "…" : text.trimmingCharacters(in: .whitespaces)
    }
}
