import ArgumentParser
import CourseEngine
import Foundation
import UsersAPIPiece

/// `course serve PIECE`: runs a piece's reference server in the foreground, for learners to
/// play with and for other tools. One subcommand per piece (`upstream`, `cache` and
/// `user-rpc` join `users-api` as their pieces land).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a reference server until Ctrl-C or SIGTERM.",
        subcommands: [ServeUsersAPICommand.self]
    )
}

struct ServeUsersAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: UsersAPI.pieceID,
        abstract: "The users REST API (Exercises/users-api/openapi.yaml).",
        discussion: """
            Prints `users-api listening on http://127.0.0.1:PORT` once it accepts connections.
            On SIGTERM or SIGINT it stops accepting, lets requests in flight finish, and exits 0.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Port on 127.0.0.1 (0: any free port).", valueName: "port"))
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("Keep users in this SQLite file (created if missing) instead of in memory.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("HS256 key for /api/v1/profile tokens (else $JWT_SECRET, else a random key).", valueName: "secret"))
    var jwtSecret: String?

    @Option(name: .long, help: .hidden)
    var flaw: [String] = []

    func validate() throws {
        for name in flaw where !Flaws.named.contains(where: { $0.name == name }) {
            throw ValidationError("unknown flaw '\(name)' (flaws: \(Flaws.named.map(\.name).joined(separator: ", ")))")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port))") }
        if jwtSecret?.isEmpty == true { throw ValidationError("--jwt-secret must not be empty") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let secret: [UInt8]
        if let given = jwtSecret ?? environment["JWT_SECRET"].flatMap({ $0.isEmpty ? nil : $0 }) {
            secret = Array(given.utf8)
        } else {
            secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
            StandardOutput.error("users-api: no --jwt-secret or JWT_SECRET; profile tokens use a random key (every one is 401)\n")
        }
        var configuration = UsersAPIServer.Configuration(port: port, databasePath: db, jwtSecret: secret)
        configuration.testHooks = environment["COURSE_USERS_API_TEST_HOOKS"] == "1"
        // Deliberate bugs, for `course verify`'s mutants (hidden from help).
        for name in flaw { configuration.flaws.formUnion(Flaws.named.first { $0.name == name }!.flaw) }
        do {
            try await UsersAPIServer.run(configuration) { port in
                try? StandardOutput.write("\(UsersAPI.pieceID) listening on http://127.0.0.1:\(port)\n")
            }
        } catch {
            throw CourseError("users-api could not run: \(error)")
        }
    }
}
