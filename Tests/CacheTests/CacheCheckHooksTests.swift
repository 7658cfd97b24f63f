import Foundation
import Grading
@testable import CachePiece
import Testing

/// What cache-aside checks do to the reference cache: count commands, list keys with their
/// expiry, go down and come back on the same port, and hold one write's reply until another
/// connection sets the key again (or time runs out), so a check can put a read inside a
/// program's update without relying on timing.
@Suite struct CacheCheckHooksTests {
    /// A command as clients send it (the differential test's encoder).
    static func command(_ parts: String...) -> [UInt8] { command(parts) }

    static func command(_ parts: [String]) -> [UInt8] { CacheDifferentialTests.encode(parts.map { Array($0.utf8) }) }

    /// Sends one command on `connection` and reads one line of reply.
    static func ask(_ connection: TCPConnection, _ parts: String..., timeout: Double = 5) async throws -> TCPRead {
        let bytes = command(parts)
        return try await Blocking.run {
            try connection.send(bytes)
            return connection.readLine(timeout: timeout)
        }
    }

    static func text(_ read: TCPRead) -> String? {
        if case .data(let bytes) = read { return String(decoding: bytes.last == 13 ? bytes.dropLast() : bytes[...], as: UTF8.self) }
        return nil
    }

    @Test func commandsAndKeysAreRecordedAfterAReset() async throws {
        let cache = try await CacheServer.start(port: 0)
        await cache.reset()
        let client = try TCPConnection(port: cache.port)
        defer { client.close() }
        _ = try await Self.ask(client, "SET", "user:1", "x", "EX", "100000")
        _ = try await Self.ask(client, "SET", "user:2", "y")
        _ = try await Self.ask(client, "GET", "user:9")
        _ = try await Self.ask(client, "NOSUCH")
        #expect(cache.commands.count(of: "set") == 2 && cache.commands.count(of: "get") == 1)
        #expect(cache.commands.errors == 1, "\(cache.commands)")
        #expect(cache.commands.summary == "2 SET, 1 GET, 1 NOSUCH")
        let keys = cache.keys()
        #expect(keys.map(\.name) == ["user:1", "user:2"])
        // A day of margin: the time left is what the check reads, however slow the machine.
        #expect((keys[0].millisecondsLeft ?? 0) > 13_600_000 && (keys[0].millisecondsLeft ?? 0) <= 100_000_000)
        #expect(keys[1].millisecondsLeft == nil)
        await cache.reset()
        #expect(cache.commands.total == 0 && cache.keys().isEmpty)
        await cache.stop()
    }

    @Test func aDownCacheRefusesConnectionsAndComesBackOnItsPort() async throws {
        let cache = try await CacheServer.start(port: 0)
        let open = try TCPConnection(port: cache.port)
        defer { open.close() }
        #expect(Self.text(try await Self.ask(open, "SET", "k", "v")) == "+OK")
        await cache.goDown()
        #expect(cache.isDown)
        let closed = await Blocking.run { open.expectClosed(timeout: 5) }
        if case .closed = closed {} else { Issue.record("an open connection is closed when the cache goes down: \(closed)") }
        #expect(throws: (any Error).self, "nothing listens while it is down") { try TCPConnection(port: cache.port) }
        try await cache.comeBack()
        let again = try TCPConnection(port: cache.port)
        defer { again.close() }
        #expect(Self.text(try await Self.ask(again, "GET", "k")) == "$-1", "it comes back empty")
        await cache.goDown()
        await cache.reset()
        #expect(!cache.isDown, "a reset brings it back")
        await cache.stop()
    }

    @Test func aHeldWriteIsLetGoWhenAnotherConnectionSetsTheKey() async throws {
        let cache = try await CacheServer.start(port: 0)
        let writer = try TCPConnection(port: cache.port)
        let reader = try TCPConnection(port: cache.port)
        defer { writer.close(); reader.close() }
        _ = try await Self.ask(writer, "SET", "user:7", "old")
        cache.holdNextWrite(seconds: 30)
        #expect(cache.heldWrite == .armed)
        #expect(Self.text(try await Self.ask(reader, "EXISTS", "user:7")) == ":1")   // a read is not a write: nothing held
        let delete = Self.command("DEL", "user:7")
        try await Blocking.run { try writer.send(delete) }
        try await Self.waitFor { cache.heldWrite == .holding(key: Array("user:7".utf8), command: "DEL") }
        let early = await Blocking.run { writer.readAvailable(timeout: 0.3) }
        if case .data(let bytes) = early { Issue.record("the DEL's reply is held, yet \(EscapedBytes.text(bytes)) came") }
        // The delete is done though: a reader misses and puts a value back.
        #expect(Self.text(try await Self.ask(reader, "GET", "user:7")) == "$-1")
        #expect(Self.text(try await Self.ask(reader, "SET", "user:7", "stale", "EX", "60")) == "+OK")
        #expect(cache.heldWrite == .released(key: Array("user:7".utf8), command: "DEL", repopulated: true))
        #expect(Self.text(await Blocking.run { writer.readLine(timeout: 10) }) == ":1")
        await cache.stop()
    }

    @Test func aHeldWriteIsLetGoWhenItsTimeRunsOut() async throws {
        let cache = try await CacheServer.start(port: 0)
        let writer = try TCPConnection(port: cache.port)
        defer { writer.close() }
        cache.holdNextWrite(seconds: 0.2)
        // Pipelined: the reply to PING waits behind the held SET, in order.
        let both = Self.command("SET", "k", "v") + Self.command("PING")
        try await Blocking.run { try writer.send(both) }
        #expect(Self.text(await Blocking.run { writer.readLine(timeout: 10) }) == "+OK")
        #expect(Self.text(await Blocking.run { writer.readLine(timeout: 10) }) == "+PONG")
        #expect(cache.heldWrite == .released(key: Array("k".utf8), command: "SET", repopulated: false))
        await cache.stop()
    }

    static func waitFor(_ condition: @escaping @Sendable () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}
