import Foundation
import Grading

extension UsersAPI {
    /// The reference users API as a service: `course serve users-api`, the reference and
    /// flaw mutants `course verify` runs as processes, and a backend other pieces' programs
    /// can be given (cache-aside in front of it).
    static let service = ServiceDefinition(
        name: pieceID,
        summary: "The users REST API (Exercises/users-api/openapi.yaml).",
        discussion: """
            Prints `users-api listening on http://127.0.0.1:PORT` once it accepts connections.
            On SIGTERM or SIGINT it stops accepting, lets requests in flight finish, and exits 0.
            """,
        defaultPort: 8080,
        options: [
            ServiceOption("db", .text, valueName: "PATH",
                          help: "Keep users in this SQLite file (created if missing) instead of in memory (default: $DATABASE_PATH).",
                          environment: "DATABASE_PATH"),
            ServiceOption("jwt-secret", .text, valueName: "SECRET",
                          help: "HS256 key for /api/v1/profile tokens (default: $JWT_SECRET, else a random key).",
                          environment: "JWT_SECRET"),
            ServiceOption("flaw", .list, valueName: "NAME", help: "A deliberate bug, for course verify's mutants.", hidden: true),
        ],
        address: .http,
        start: { launch in try await RunningUsersAPIService.start(launch) })
}

/// The reference users API started as a service. It records nothing; its users are its
/// state and stay across checks (a reset changes nothing).
final class RunningUsersAPIService: ServiceInstance {
    let server: RunningUsersAPI
    var port: Int { server.port }

    private init(server: RunningUsersAPI) {
        self.server = server
    }

    static func start(_ launch: ServiceLaunch) async throws -> RunningUsersAPIService {
        let options = launch.options
        let secret: [UInt8]
        if let given = options.text("jwt-secret") {
            secret = Array(given.utf8)
        } else {
            secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
            launch.log?("users-api: no --jwt-secret or JWT_SECRET; profile tokens use a random key (every one is 401)")
        }
        var configuration = UsersAPIServer.Configuration(port: launch.port, databasePath: options.text("db"), jwtSecret: secret)
        configuration.testHooks = ProcessInfo.processInfo.environment["COURSE_USERS_API_TEST_HOOKS"] == "1"
        for name in options.list("flaw") {
            guard let flaw = Flaws.named(name) else {
                throw ServiceOptionError("unknown flaw '\(name)' (flaws: \(Flaws.table.map(\.flaw.name).joined(separator: ", ")))")
            }
            configuration.flaws.formUnion(flaw)
        }
        return RunningUsersAPIService(server: try await UsersAPIServer.start(configuration))
    }

    func reset() async {}

    func stop() async {
        try? await server.stop()
    }
}
