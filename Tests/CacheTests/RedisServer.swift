import Foundation
import Grading

/// Debian's redis-server, started for a test on a free port of the loopback, with no
/// persistence, killed when the test is done (also when it fails). `start` and `stop` wait
/// for the process: call them through `Blocking.run`, never on the cooperative pool.
final class RedisServer: @unchecked Sendable {
    let port: Int
    private let process: ChildProcess

    private init(port: Int, process: ChildProcess) {
        self.port = port
        self.process = process
    }

    static func start() throws -> RedisServer {
        guard let binary = ChildProcess.resolve("redis-server", path: "/usr/bin:/usr/sbin:/bin") else {
            throw RedisServerMissing()
        }
        let port = try LoopbackSocket.freePort()
        let process = try ChildProcess.spawn(.init(
            arguments: [binary, "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                        "--protected-mode", "no", "--dir", FileManager.default.temporaryDirectory.path],
            environment: ["PATH": "/usr/bin:/bin"], stdout: .null, stderr: .null, group: .newGroup))
        let server = RedisServer(port: port, process: process)
        let deadline = Date().addingTimeInterval(20)
        while !LoopbackSocket.accepts(port: port) {
            guard Date() < deadline, process.poll() == nil else {
                server.stop()
                throw RedisServerMissing()
            }
            usleep(20_000)
        }
        return server
    }

    func stop() {
        process.sendToGroup(SIGKILL)
        _ = process.wait()
    }
}

struct RedisServerMissing: Error, CustomStringConvertible {
    var description: String { "redis-server did not start: install it with `bash scripts/setup.sh --tests`" }
}

/// Counts the complete RESP2 replies at the start of `bytes` (as a client reads them).
enum RESPReplies {
    static func count(_ bytes: [UInt8]) -> Int {
        var index = 0
        var count = 0
        while let next = skip(bytes, from: index) {
            index = next
            count += 1
        }
        return count
    }

    /// The index after one complete reply starting at `start`, or nil.
    static func skip(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        guard let cr = bytes[start...].firstIndex(of: 13), cr + 1 < bytes.count else { return nil }
        let line = String(decoding: bytes[(start + 1)..<cr], as: UTF8.self)
        let after = cr + 2
        switch bytes[start] {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
            return after
        case UInt8(ascii: "$"):
            guard let length = Int(line) else { return nil }
            if length < 0 { return after }
            return after + length + 2 <= bytes.count ? after + length + 2 : nil
        case UInt8(ascii: "*"):
            guard let items = Int(line) else { return nil }
            var index = after
            for _ in 0..<max(items, 0) {
                guard let next = skip(bytes, from: index) else { return nil }
                index = next
            }
            return index
        default:
            return nil
        }
    }
}
