import Foundation
import Grading
import NIOCore
import NIOHTTP1
import NIOPosix

/// The instrumented upstream: HTTP/1.1 on 127.0.0.1 answering `GET /work/{n}` with
/// `{"n":n,"result":2n}` after the configured latency, or failing as configured (see
/// `UpstreamSettings`). Every request is recorded (see `UpstreamRecording`). Latency is an
/// event-loop timer per request, never a thread, so hundreds of requests in flight cost
/// nothing and do not stretch each other's timing.
public final class UpstreamServer: ServiceInstance, @unchecked Sendable {
    public let port: Int
    private let channel: any Channel
    let state: State

    private init(channel: any Channel, state: State) {
        self.channel = channel
        self.state = state
        port = channel.localAddress?.port ?? 0
    }

    /// Starts on `port` (0: the system chooses) with `settings`; `log` gets a line as each
    /// request arrives and as it ends.
    public static func start(port: Int, settings: UpstreamSettings, log: (@Sendable (String) -> Void)? = nil) async throws -> UpstreamServer {
        let state = State(settings: settings, log: log)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(UpstreamHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return UpstreamServer(channel: channel, state: state)
    }

    /// What was recorded since the last reset.
    public var recording: UpstreamRecording { state.locked { $0.recording } }

    /// How it answers now.
    public var settings: UpstreamSettings { state.locked { $0.settings } }

    /// Changes how it answers from the next request on.
    public func configure(_ change: (inout UpstreamSettings) -> Void) {
        state.locked { change(&$0.settings) }
    }

    /// Waits until `condition` holds for the recording, at most `seconds`; returns whether it did.
    public func wait(seconds: Double, until condition: @Sendable (UpstreamRecording) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if condition(recording) { return true }
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    /// Forgets the recording, closes every open connection and goes back to the settings it
    /// started with, so a check sees only what happened during it.
    public func reset() async {
        let open = state.locked { values -> [any Channel] in
            values.generation += 1
            values.recording = UpstreamRecording()
            values.settings = values.launchSettings
            values.inFlight = 0
            defer { values.open = [] }
            return values.open
        }
        for child in open { try? await child.close() }
    }

    public func stop() async {
        let open = state.locked { $0.open }
        try? await channel.close()
        for child in open { try? await child.close() }
    }

    /// What the connections share, behind one lock.
    final class State: @unchecked Sendable {
        struct Values {
            var settings: UpstreamSettings
            let launchSettings: UpstreamSettings
            var recording = UpstreamRecording()
            /// Bumped by each reset: a request from before it is not recorded after it.
            var generation = 0
            var inFlight = 0
            var open: [any Channel] = []
        }

        private var values: Values
        private let lock = NSLock()
        let log: (@Sendable (String) -> Void)?

        init(settings: UpstreamSettings, log: (@Sendable (String) -> Void)?) {
            values = Values(settings: settings, launchSettings: settings)
            self.log = log
        }

        func locked<T>(_ body: (inout Values) -> T) -> T {
            lock.withLock { body(&values) }
        }
    }
}
