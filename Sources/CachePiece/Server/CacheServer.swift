import Foundation
import Grading
import NIOCore
import NIOPosix

/// The reference cache: RESP2 over TCP on 127.0.0.1, served by SwiftNIO on every core, the
/// decoder (`RESPRequestDecoder`) kept apart from the commands (`CacheCommands`). One lock
/// guards the store; commands are short, so connections rarely wait on it.
public final class CacheServer: ServiceInstance, @unchecked Sendable {
    public let port: Int
    let shared: Shared
    private let sweeper: RepeatedTask

    /// A client whose replies pile up unread this long (its socket full) is disconnected,
    /// so a client that never reads cannot make the server buffer without bound.
    static let unreadLimitSeconds: Int64 = 10

    private init(port: Int, shared: Shared, sweeper: RepeatedTask) {
        self.port = port
        self.shared = shared
        self.sweeper = sweeper
    }

    /// Starts the server; with `dataDirectory`, every change goes to an append-only log
    /// there before its reply, and the log is replayed first (`AppendOnlyLog`).
    public static func start(port: Int, maximumKeys: Int? = nil, dataDirectory: String? = nil,
                             log: (@Sendable (String) -> Void)? = nil) async throws -> CacheServer {
        let shared = Shared(maximumKeys: maximumKeys, log: log)
        if let dataDirectory {
            let said = try shared.locked { values -> String in
                let (aof, said) = try AppendOnlyLog.open(folder: dataDirectory, replayingInto: &values.state)
                values.aof = aof
                values.state.store.evictedKeys = []
                return said
            }
            log?(said)
        }
        let channel = try await listen(port: port, shared: shared)
        let bound = channel.localAddress?.port ?? port
        shared.locked {
            $0.state = CacheState(store: $0.state.store, port: bound)
            $0.listener = channel
        }
        let sweeper = MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in
            shared.locked { _ = $0.state.store.sweepExpired(now: CacheStore.now()) }
        }
        return CacheServer(port: bound, shared: shared, sweeper: sweeper)
    }

    /// The listening socket on `port` (also again, after `goDown`, on the same port).
    static func listen(port: Int, shared: Shared) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 511)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(CacheConnectionHandler(shared: shared))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }

    /// The store's statistics (hits, misses, expired and evicted keys).
    public var statistics: CacheStatistics { shared.locked { $0.state.store.statistics } }

    /// Empties the store and its statistics, and (for checks, which the grader resets
    /// before each) starts counting commands; a cache a check took down comes back up, and a
    /// held reply is let go.
    public func reset() async {
        let release = shared.locked { values -> (@Sendable () -> Void)? in
            values.state.store.removeAll()
            values.state.store.statistics = CacheStore.Statistics()
            values.recording = CommandRecording()
            return values.hold.reset()
        }
        release?()
        try? await comeBack()
    }

    public func stop() async {
        sweeper.cancel()
        let (listener, open, release) = shared.locked { values in
            defer { values.listener = nil }
            return (values.listener, values.open, values.hold.reset())
        }
        release?()
        try? await listener?.close()
        for child in open { try? await child.close() }
    }

    final class Shared: @unchecked Sendable {
        struct Values {
            var state: CacheState
            var nextClientID = 1
            var open: [any Channel] = []
            /// The listening socket; nil while a check has the cache down.
            var listener: (any Channel)?
            /// What checks read about the commands since the last reset (nil: not counting,
            /// as under `course serve`, where nobody reads it).
            var recording: CommandRecording?
            /// A write whose reply a check holds back (`holdNextWrite`).
            var hold = HeldWrite()
            /// The append-only log, with a data directory.
            var aof: AppendOnlyLog?

            /// Runs one command and, with a log, records what it changed before the reply
            /// is returned (so before it is written to the client).
            mutating func run(_ arguments: [[UInt8]], client: inout CacheClient, now: Int64) -> RESPReply {
                let reply = CacheCommands.execute(arguments, client: &client, state: &state, now: now)
                recording?.count(arguments, reply: reply)
                guard let aof else { return reply }
                let evicted = state.store.evictedKeys ?? []
                state.store.evictedKeys = []
                let records = CacheCommands.logRecords(arguments, reply: reply, evicted: evicted, store: state.store)
                guard !records.isEmpty else { return reply }
                do {
                    try aof.append(records)
                } catch {
                    return .error("ERR the change is made but could not be logged: \(error)")
                }
                return reply
            }
        }

        private var values: Values
        private let lock = NSLock()
        let log: (@Sendable (String) -> Void)?

        init(maximumKeys: Int?, log: (@Sendable (String) -> Void)?) {
            values = Values(state: CacheState(store: CacheStore(maximumKeys: maximumKeys), port: 0))
            self.log = log
        }

        func locked<T>(_ body: (inout Values) throws -> T) rethrows -> T {
            try lock.withLock { try body(&values) }
        }
    }
}

extension CacheStatistics: CustomStringConvertible {
    public var description: String { "hits \(hits), misses \(misses), expired \(expired), evicted \(evicted)" }
}
