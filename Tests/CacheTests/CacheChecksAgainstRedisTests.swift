@testable import CachePiece
import Foundation
import Grading
import Testing

/// The `cache` exercise's checks against the real thing: Debian's redis-server passes every
/// stage it can serve (all but eviction under MAX_KEYS, which redis-server bounds by memory,
/// not keys, and durability in DATA_DIR, which it keeps its own way). A check redis-server
/// fails is a wrong check.
@Suite struct CacheChecksAgainstRedisTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The stages redis-server cannot serve as the README asks.
    static let notServed: Set<String> = ["eviction", "durability"]

    @Test func redisServerPassesEveryStageItCanServe() async throws {
        guard let binary = ChildProcess.resolve("redis-server", path: "/usr/bin:/usr/sbin:/bin") else {
            throw RedisServerMissing()
        }
        var exercise = try ExerciseManifest.load(folder: Self.repository.appendingPathComponent("Exercises/cache"))
        exercise.stages.removeAll { Self.notServed.contains($0.id) }
        // Time enough for a test suite that holds both cores: what is checked is the replies.
        exercise.readySeconds = 60
        exercise.limits.stageSeconds = 180
        exercise.limits.totalSeconds = 900
        #expect(exercise.stages.count == 8)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cache-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let grader = Grader(registry: PieceRegistry([CachePiece.piece]), seed: 14, runOptions: SubmissionRun.Options())
        let command = "\(binary) --port \"$PORT\" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no --dir \(scratch.path)"
        let result = try await grader.grade(exercise: exercise, command: command, name: "redis-server")
        let failures = result.stages.flatMap { stage in
            stage.checks.filter { $0.status != .passed }.map { "\(stage.id)/\($0.id): \($0.failure?.description ?? $0.status.rawValue)" }
        }
        #expect(result.passed, "redis-server fails checks, so they are wrong:\n\(failures.joined(separator: "\n"))")
        #expect(result.stages.map(\.id) == exercise.stages.map(\.id))
    }

    /// A failure shows the exact bytes sent and received, escaped, and redis-server's reply:
    /// here from a server that answers every command with an empty string.
    @Test func aFailureShowsTheBytesBothWaysAndRedisServersReply() async throws {
        let peer = try ThreadedListener(name: "empty-string-server") { connection in
            while let bytes = connection.receive(), !bytes.isEmpty {
                connection.send(Array("$0\r\n\r\n".utf8))
            }
        }
        let failure = try await Blocking.run { () -> CheckFailure? in
            let session = try RESPSession(port: peer.port, deadline: Date().addingTimeInterval(30), model: RedisModel())
            do {
                try session.expect(CacheCommand("GET", "never-set"), why: "it was never set")
                return nil
            } catch let failure as CheckFailure {
                return failure
            }
        }
        await peer.stop()
        let shown = try #require(failure)
        #expect(shown.message == "`GET never-set` answered an empty bulk string (not nil): it was never set")
        #expect(shown.sent == "*2\\r\\n\n$3\\r\\n\nGET\\r\\n\n$9\\r\\n\nnever-set\\r\\n")
        #expect(shown.received == "$0\\r\\n\n\\r\\n")
        #expect(shown.expected == "$-1\\r\\n\n(redis-server 7's reply, nil)")
    }

    /// Where the README asks only for an error, any error line passes, and redis-server's
    /// wording is shown when something else comes.
    @Test func anyErrorIsAnErrorAndOtherRepliesAreNot() async throws {
        let peer = try ThreadedListener(name: "error-server") { connection in
            var first = true
            while let bytes = connection.receive(), !bytes.isEmpty {
                connection.send(Array((first ? "-ERR that is not a number\r\n" : ":1\r\n").utf8))
                first = false
            }
        }
        let failure = try await Blocking.run { () -> CheckFailure? in
            let model = RedisModel()
            _ = model.reply(to: CacheCommand("SET", "t", "hello"))
            let session = try RESPSession(port: peer.port, deadline: Date().addingTimeInterval(30), model: model)
            do {
                try session.expect(CacheCommand("INCR", "t"))
                try session.expect(CacheCommand("INCR", "t"))
                return nil
            } catch let failure as CheckFailure {
                return failure
            }
        }
        await peer.stop()
        let shown = try #require(failure)
        #expect(shown.message == "`INCR t` answered the integer 1")
        #expect(shown.expected?.contains("an error: a line starting with - (any message)") == true)
        #expect(shown.expected?.contains("-ERR value is not an integer or out of range\\r\\n") == true)
        #expect(shown.sent?.hasPrefix("(earlier on this connection: INCR t → -ERR that is not a number\\r\\n)") == true)
    }
}
