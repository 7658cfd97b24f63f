import Foundation
import Grading
import Testing

/// `course serve cache` against clients that misbehave: one that never reads its replies, one
/// that leaves mid-command, one that announces a 512 MB argument, one that sends garbage.
/// Every other client is served throughout, and the server's memory stays bounded.
@Suite struct CacheHostileClientsTests {
    final class Served: @unchecked Sendable {
        let port: Int
        let child: ChildProcess

        init() throws {
            port = try LoopbackSocket.freePort()
            child = try ChildProcess.spawn(.init(arguments: [CLIHarness.binary.path, "serve", "cache", "--port", "\(port)"],
                                                 environment: ["PATH": "/usr/bin:/bin", "COURSE_ROOT": CLIHarness.repositoryRoot.path],
                                                 stdout: .null, stderr: .null, group: .newGroup))
            let deadline = Date().addingTimeInterval(30)
            while !LoopbackSocket.accepts(port: port), Date() < deadline { usleep(20_000) }
        }

        /// Resident memory of the server, in MB.
        var residentMB: Double {
            let status = (try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
        }

        func stop() {
            child.sendToGroup(SIGKILL)
            _ = child.wait()
        }
    }

    static func command(_ words: String...) -> [UInt8] {
        var bytes = Array("*\(words.count)\r\n".utf8)
        for word in words { bytes += Array("$\(word.utf8.count)\r\n\(word)\r\n".utf8) }
        return bytes
    }

    /// One command on a new connection, and its reply (what arrives within 5 s).
    static func ask(_ port: Int, _ bytes: [UInt8]) throws -> String {
        let socket = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
        defer { socket.close() }
        _ = try socket.send(bytes, deadline: Date().addingTimeInterval(5))
        if case .bytes(let reply) = try socket.receive(deadline: Date().addingTimeInterval(5)) {
            return String(decoding: reply, as: UTF8.self)
        }
        return "<nothing>"
    }

    /// Runs `body`, then stops `server` off the cooperative pool, also when `body` throws: a
    /// stop left to a detached task can outlive the test process and leave the server running.
    static func stopping(_ server: Served, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await Blocking.run { server.stop() }
            throw error
        }
        await Blocking.run { server.stop() }
    }

    @Test func aClientThatNeverReadsIsCutOffAndOthersAreServed() async throws {
        // Started and stopped off the cooperative pool: waiting for a process to listen (or
        // to die) must not hold one of its two threads while other tests need them.
        let server = try await Blocking.run { try Served() }
        try await Self.stopping(server) {
            let port = server.port
            try await Blocking.run {
                _ = try Self.ask(port, Self.command("SET", "big", String(repeating: "x", count: 1 << 20)))
                let before = server.residentMB
                // 4000 GETs of a 1 MB value: 4 GB of replies that this client never reads.
                let greedy = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
                defer { greedy.close() }
                let flood = Array((0..<4000).map { _ in Self.command("GET", "big") }.joined())
                let sent = try greedy.send(flood, deadline: Date().addingTimeInterval(5))
                var peak = before
                var others: [String] = []
                var closed = false
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    peak = max(peak, server.residentMB)
                    others.append(try Self.ask(port, Self.command("PING")))
                    // Once the server gave up on the greedy client, the asker is its only client.
                    if try Self.ask(port, Self.command("INFO", "clients")).contains("connected_clients:1\r\n") {
                        closed = true
                        break
                    }
                    usleep(100_000)
                }
                #expect(closed, "the client that never reads was not disconnected within a minute (sent: \(sent))")
                #expect(others.allSatisfy { $0 == "+PONG\r\n" }, "others were not served meanwhile: \(Set(others))")
                #expect(peak - before < 64, "memory grew by \(peak - before) MB for a client that never reads (from \(before) MB)")
                print("never-reading client: server memory \(Int(before)) MB before, \(Int(peak)) MB at most; \(others.count) PINGs from others answered meanwhile")
            }
        }
    }

    @Test func clientsThatLeaveMidCommandOrSendGarbageHarmNoOne() async throws {
        // Started and stopped off the cooperative pool: waiting for a process to listen (or
        // to die) must not hold one of its two threads while other tests need them.
        let server = try await Blocking.run { try Served() }
        try await Self.stopping(server) {
            let port = server.port
            try await Blocking.run {
                let before = server.residentMB
                // Half a SET, then gone.
                let leaver = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
                _ = try leaver.send(Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nhal".utf8), deadline: Date().addingTimeInterval(5))
                leaver.close()
                // A 512 MB argument announced, 1 KB of it sent: waited for, not allocated.
                let claimer = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
                defer { claimer.close() }
                _ = try claimer.send(Array("*2\r\n$4\r\nECHO\r\n$536870912\r\n".utf8) + [UInt8](repeating: 97, count: 1024),
                                     deadline: Date().addingTimeInterval(5))
                // Garbage: an error, then the connection closes.
                #expect(try Self.ask(port, Array("*1\r\n$-5\r\n".utf8)) == "-ERR Protocol error: invalid bulk length\r\n")
                #expect(try Self.ask(port, Array("*2\r\n+OK\r\n".utf8)) == "-ERR Protocol error: expected '$', got '+'\r\n")
                #expect(try Self.ask(port, Self.command("GET", "k")) == "$-1\r\n", "the half SET stored nothing")
                #expect(try Self.ask(port, Self.command("PING")) == "+PONG\r\n")
                let after = server.residentMB
                #expect(after - before < 64, "memory grew by \(after - before) MB")
                print("hostile clients: server memory \(Int(before)) MB before, \(Int(after)) MB after")
            }
        }
    }
}
