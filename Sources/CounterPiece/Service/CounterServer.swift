import Foundation
import Grading
import NIOCore
import NIOPosix

/// The counter service: a line protocol over TCP on 127.0.0.1. `INCR KEY` adds one to the
/// key's count and answers the new count; `GET KEY` answers the count; anything else is
/// `ERR …`. It records every command (see `CounterRecording`), and checks can set counts
/// and make it slow before running a program.
public final class CounterServer: ServiceInstance, @unchecked Sendable {
    public let port: Int
    private let channel: any Channel
    private let state: State

    private init(channel: any Channel, state: State) {
        self.channel = channel
        self.state = state
        port = channel.localAddress?.port ?? 0
    }

    static func start(_ launch: ServiceLaunch) async throws -> CounterServer {
        let delay = launch.options.duration("delay") ?? 0
        let state = State(delay: delay, log: launch.log)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maximumLength: 4096)))
                    try channel.pipeline.syncOperations.addHandler(CounterHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: launch.port).get()
        return CounterServer(channel: channel, state: state)
    }

    /// What was recorded since the last reset.
    public var recording: CounterRecording { state.locked { $0.recording } }

    /// Sets a key's count (what a program then reads back through `INCR`).
    public func set(_ key: String, to count: Int) {
        state.locked { $0.counts[key] = count }
    }

    /// Waits this long before each answer.
    public func setDelay(_ seconds: Double) {
        state.locked { $0.delay = seconds }
    }

    public func reset() async {
        state.locked { state in
            state.recording = CounterRecording()
            state.counts = [:]
            state.delay = state.launchDelay
        }
    }

    public func stop() async {
        let open = state.locked { $0.open }
        try? await channel.close()
        for child in open { try? await child.close() }
    }

    /// Everything the connections share, behind one lock.
    final class State: @unchecked Sendable {
        struct Values {
            var counts: [String: Int] = [:]
            var recording = CounterRecording()
            var delay: Double
            let launchDelay: Double
            var open: [any Channel] = []
        }

        private var values: Values
        private let lock = NSLock()
        let log: (@Sendable (String) -> Void)?

        init(delay: Double, log: (@Sendable (String) -> Void)?) {
            values = Values(delay: delay, launchDelay: delay)
            self.log = log
        }

        func locked<T>(_ body: (inout Values) -> T) -> T {
            lock.withLock { body(&values) }
        }
    }
}

/// One connection: answers each line, in order.
final class CounterHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    let state: CounterServer.State
    private var number = 0

    init(state: CounterServer.State) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        number = state.locked { values in
            values.recording.connectionsOpened += 1
            values.open.append(channel)
            values.recording.mostOpenAtOnce = max(values.recording.mostOpenAtOnce, values.open.count)
            return values.recording.connectionsOpened
        }
        state.log?("connection \(number) opened")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let channel = context.channel
        state.locked { values in values.open.removeAll { $0 === channel } }
        state.log?("connection \(number) closed")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let received = Date()
        let (reply, delay) = state.locked { values -> (String, Double) in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            let reply: String
            switch (words.first?.uppercased(), words.count) {
            case ("INCR", 2):
                let key = String(words[1])
                values.counts[key, default: 0] += 1
                reply = String(values.counts[key]!)
            case ("GET", 2):
                reply = String(values.counts[String(words[1])] ?? 0)
            case ("INCR", _), ("GET", _):
                reply = "ERR \(words[0].uppercased()) takes one key"
            default:
                reply = "ERR unknown command; send INCR KEY or GET KEY"
            }
            return (reply, values.delay)
        }
        let connection = number
        let answer = { [state] in
            state.locked { values in
                values.recording.commands.append(.init(connection: connection, line: line, reply: reply, received: received, answered: Date()))
            }
            state.log?("connection \(connection): \(line) -> \(reply)")
        }
        let buffer = context.channel.allocator.buffer(string: reply + "\n")
        if delay > 0 {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay * 1_000_000_000))) {
                answer()
                loopBound.value.writeAndFlush(NIOAny(buffer), promise: nil)
            }
        } else {
            answer()
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
