import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `course serve NAME` is one command for every registered service, options from the piece:
/// help lists the services people may run, a service's own help lists its options, and a
/// service (the counter fixture's) runs until SIGTERM, printing what it records, then exits 0
/// with its port closed.
@Suite(.serialized) struct ServeServiceTests {
    @Test func helpListsTheServicesAndEachServicesOptions() async throws {
        let cli = try CLIHarness()
        let list = try await cli.run(["serve", "--help"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("users-api  The users REST API"), "\(list.stdout)")
        #expect(!list.stdout.contains("counter"), "fixtures are not listed: \(list.stdout)")
        let users = try await cli.run(["serve", "users-api", "--help"])
        #expect(users.status == 0 && users.stdout.contains("--db PATH") && users.stdout.contains("--port N"), "\(users.stdout)")
        #expect(!users.stdout.contains("--flaw"), "hidden options are not listed")
        let unknown = try await cli.run(["serve", "users"])
        #expect(unknown.status == 2 && unknown.stderr.contains("there is no service 'users'") && unknown.stderr.contains("did you mean 'users-api'?"),
                "\(unknown.stderr)")
        let bad = try await cli.run(["serve", "counter", "--delay", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--delay must be a duration"), "\(bad.stderr)")
    }

    @Test func aServiceRunsUntilSIGTERMAndPrintsWhatItRecords() throws {
        let cli = try CLIHarness()
        let log = cli.courseRoot.deletingLastPathComponent().appendingPathComponent("serve.log")
        let process = try ChildProcess.spawn(.init(arguments: [CLIHarness.binary.path, "serve", "counter", "--port", "0", "--delay", "5ms"],
                                                   environment: cli.environment, stdout: .file(log.path), stderr: .file(log.path, append: true)))
        defer {
            process.send(SIGKILL)
            _ = process.wait(timeout: 10)
        }
        func output() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        var port: Int?
        for _ in 0..<500 where port == nil {
            if let line = output().split(separator: "\n").first(where: { $0.hasPrefix("counter listening on 127.0.0.1:") }) {
                port = Int(line.split(separator: ":").last ?? "")
            } else {
                usleep(20_000)
            }
        }
        let listening = try #require(port, "never said where it listens: \(output())")
        let reply = try Self.python("""
            import socket
            c = socket.create_connection(("127.0.0.1", \(listening)))
            f = c.makefile("r")
            for command in ["INCR a", "INCR a", "GET a", "HELLO"]:
                c.sendall((command + "\\n").encode())
                print(f.readline().strip())
            """)
        #expect(reply == "1\n2\n2\nERR unknown command; send INCR KEY or GET KEY\n")
        for _ in 0..<250 where !output().contains("connection 1: HELLO") { usleep(20_000) }
        #expect(output().contains("connection 1: INCR a -> 2"), "it prints what it records: \(output())")
        process.send(SIGTERM)
        #expect(process.wait(timeout: 20) == .exited(0), "\(output())")
        #expect(LoopbackSocket.refuses(port: listening), "the port is closed after it exits")
    }

    static func python(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = try out.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
