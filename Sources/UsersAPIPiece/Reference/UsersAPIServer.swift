import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the reference users API: `course serve users-api` (its service), tests and
/// in-process checks `start` it on a port and `stop` it.
///
/// Graceful shutdown is Hummingbird's: the listening socket closes at once, idle keep-alive
/// connections close, and requests in flight run to completion (up to
/// `Configuration.shutdownGracePeriod`) before the server returns.
public enum UsersAPIServer {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 lets the system pick a free port; `start` and `onListening` report it.
        public var port = 0
        /// SQLite file for `SQLiteUserStore`; nil keeps users in memory.
        public var databasePath: String?
        /// The HS256 key of the profile endpoints' tokens.
        public var jwtSecret: [UInt8]
        /// Deliberate bugs; `[]` is the correct server.
        public var flaws: Flaws = []
        /// Request bodies past this many bytes are refused with 413 (1 MiB: a user is a few
        /// hundred bytes).
        public var bodyLimit = 1 << 20
        /// Registers `TestHooks` (never in the contract).
        public var testHooks = false
        public var shutdownGracePeriod: Duration = .seconds(30)
        public var logLevel: Logger.Level = .notice

        public init(port: Int = 0, databasePath: String? = nil, jwtSecret: [UInt8], flaws: Flaws = []) {
            self.port = port
            self.databasePath = databasePath
            self.jwtSecret = jwtSecret
            self.flaws = flaws
        }
    }

    public typealias App = Application<RouterResponder<UsersAPIRequestContext>>

    /// The store the configuration asks for. Store flaws act on the in-memory store only, so
    /// a server with one keeps users in memory even when given a database file.
    public static func makeStore(_ configuration: Configuration) throws -> any UserStore {
        if let path = configuration.databasePath, configuration.flaws.isDisjoint(with: Flaws.storeFlaws) {
            return try SQLiteUserStore(path: path)
        }
        return MemoryUserStore(flaws: configuration.flaws)
    }

    public static func makeRouter(_ configuration: Configuration, store: any UserStore) -> Router<UsersAPIRequestContext> {
        let router = Router(context: UsersAPIRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: JSONErrorMiddleware(plainText: configuration.flaws.contains(.plainTextErrors)))

        router.get("healthz") { @Sendable _, _ -> Response in try JSONBody.response(["status": "ok"]) }

        let api = router.group("api/v1")
        UsersRoutes(store: store, flaws: configuration.flaws, bodyLimit: configuration.bodyLimit)
            .register(on: api.group("users"))
        // A wrong method on the profile is 405 before any token check: the router finds no
        // route, so the token middleware never runs.
        ProfileRoutes(store: store, bodyLimit: configuration.bodyLimit)
            .register(on: api.group("profile").add(middleware: BearerTokenMiddleware(secret: configuration.jwtSecret)))

        if configuration.testHooks { TestHooks.register(on: router) }
        return router
    }

    /// The application, not yet running; `onListening` gets the bound port.
    public static func makeApplication(_ configuration: Configuration, store: (any UserStore)? = nil,
                                       onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> App {
        let router = makeRouter(configuration, store: try store ?? makeStore(configuration))
        var logger = Logger(label: UsersAPI.pieceID, factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = configuration.logLevel
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    private static func groupConfiguration(_ app: App, _ configuration: Configuration) -> ServiceGroupConfiguration {
        var group = ServiceGroupConfiguration(services: [.init(service: app)], logger: app.logger)
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        return group
    }

    /// Starts the server in this process and returns once it listens.
    public static func start(_ configuration: Configuration, store: (any UserStore)? = nil) async throws -> RunningUsersAPI {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try makeApplication(configuration, store: store) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: groupConfiguration(app, configuration))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // The server stopped before listening: its error says why (a port in use).
            try await task.result.get()
            throw APIError(.internalServerError, "the users API stopped before listening")
        }
        return RunningUsersAPI(port: port, group: group, task: task)
    }
}

/// A reference server started by `UsersAPIServer.start`.
public final class RunningUsersAPI: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Graceful shutdown: requests in flight finish first. Returns when the server is down.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
