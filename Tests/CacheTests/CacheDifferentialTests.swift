@testable import CachePiece
import Foundation
import Grading
import NIOCore
import Testing

/// The reference cache against redis-server 7 (Debian's, started here on a free port, no
/// persistence): the same raw bytes go to both, each script on a new connection after a
/// FLUSHALL, and the raw reply bytes must be equal, errors, nils and closes included.
/// What the reference does differently on purpose is left out: INFO's fields, HELLO's client
/// id and RESP3, COMMAND's documentation, databases other than 0.
@Suite(.serialized) struct CacheDifferentialTests {
    /// A command as a RESP array of bulk strings.
    static func cmd(_ words: String...) -> [UInt8] { encode(words.map { Array($0.utf8) }) }

    static func encode(_ words: [[UInt8]]) -> [UInt8] {
        var bytes = Array("*\(words.count)\r\n".utf8)
        for word in words { bytes += Array("$\(word.count)\r\n".utf8) + word + [13, 10] }
        return bytes
    }

    static func raw(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Named scripts: the bytes sent in one write.
    static let scripts: [(String, [UInt8])] = [
        ("ping", cmd("PING") + cmd("PING", "hi") + cmd("PING", "a", "b") + cmd("ping") + cmd("PING", "x\r\ny")),
        ("echo", cmd("ECHO") + cmd("ECHO", "x") + cmd("ECHO", "") + cmd("ECHO", "a", "b")),
        ("set and get", cmd("SET", "k", "v") + cmd("GET", "k") + cmd("GET", "nokey") + cmd("GET") + cmd("GET", "") + cmd("get", "k")),
        ("set arity and expire times", cmd("SET", "k") + cmd("SET", "k", "v", "EX", "0") + cmd("SET", "k", "v", "EX", "-1")
            + cmd("SET", "k", "v", "EX", "abc") + cmd("SET", "k", "v", "EX", "9999999999999999") + cmd("SET", "k", "v", "PX", "0")
            + cmd("SET", "k", "v", "PX", "9223372036854775807") + cmd("GET", "k")),
        ("set syntax errors", cmd("SET", "k", "v", "PX", "10", "EX", "10") + cmd("SET", "k", "v", "NX", "XX")
            + cmd("SET", "k", "v", "FOO") + cmd("SET", "k", "v", "EX") + cmd("SET", "k", "v", "KEEPTTL", "EX", "5")
            + cmd("SET", "k", "v", "EX", "5", "KEEPTTL") + cmd("SET", "k", "v", "EXAT", "1", "PXAT", "1") + cmd("GET", "k")),
        ("set nx", cmd("SET", "k", "v", "NX") + cmd("SET", "k", "v2", "NX") + cmd("GET", "k") + cmd("SET", "k", "v", "NX", "NX")),
        ("set xx", cmd("SET", "k", "v", "XX") + cmd("GET", "k") + cmd("SET", "k", "v") + cmd("SET", "k", "v2", "xx") + cmd("GET", "k")),
        ("set get", cmd("SET", "k", "v", "GET") + cmd("SET", "k", "v2", "GET") + cmd("SET", "k", "v3", "NX", "GET")
            + cmd("GET", "k") + cmd("SET", "m", "v", "XX", "GET") + cmd("EXISTS", "m")),
        // Remaining times are compared in seconds only: even redis-server's PTTL moves by a
        // millisecond between two commands of one write on a loaded machine.
        ("set ex, px and keepttl", cmd("SET", "k", "v", "EX", "100") + cmd("TTL", "k")
            + cmd("SET", "k", "v2", "KEEPTTL") + cmd("TTL", "k") + cmd("SET", "k", "v3") + cmd("TTL", "k") + cmd("PTTL", "k")
            + cmd("SET", "k", "v", "PX", "100000") + cmd("TTL", "k") + cmd("SET", "k", "v", "EX", "10", "EX", "20") + cmd("TTL", "k")
            + cmd("SET", "nk", "v", "KEEPTTL") + cmd("TTL", "nk")),
        ("set exat and pxat in the past", cmd("SET", "k", "v", "EXAT", "1") + cmd("GET", "k") + cmd("EXISTS", "k")
            + cmd("SET", "k", "v", "PXAT", "1") + cmd("GET", "k") + cmd("SET", "k", "v", "EXAT", "99999999999") + cmd("EXISTS", "k")),
        ("del", cmd("DEL") + cmd("SET", "a", "1") + cmd("DEL", "a", "a", "b") + cmd("DEL", "a") + cmd("SET", "a", "1")
            + cmd("SET", "b", "1") + cmd("DEL", "a", "b", "c")),
        ("setex and psetex", cmd("SETEX", "k", "100", "v") + cmd("GET", "k") + cmd("TTL", "k") + cmd("PSETEX", "p", "100000", "v")
            + cmd("TTL", "p") + cmd("SETEX", "k", "0", "v") + cmd("SETEX", "k", "-1", "v") + cmd("SETEX", "k", "x", "v")
            + cmd("PSETEX", "k", "0", "v") + cmd("SETEX", "k", "10") + cmd("SETEX", "k", "9999999999999999", "v")
            + cmd("psetex", "k", "9223372036854775807", "v") + cmd("GET", "k") + cmd("DBSIZE")),
        ("unlink", cmd("UNLINK") + cmd("SET", "a", "1") + cmd("SET", "b", "2") + cmd("UNLINK", "a", "a", "b", "c") + cmd("EXISTS", "a", "b")),
        ("exists", cmd("EXISTS") + cmd("SET", "a", "1") + cmd("EXISTS", "a") + cmd("EXISTS", "a", "a", "b") + cmd("EXISTS", "b")),
        ("expire errors", cmd("EXPIRE", "k") + cmd("EXPIRE", "k", "x") + cmd("EXPIRE", "nokey", "10") + cmd("SET", "k", "v")
            + cmd("EXPIRE", "k", "10", "FOO") + cmd("EXPIRE", "k", "10", "NX", "XX") + cmd("EXPIRE", "k", "10", "GT", "LT")
            + cmd("EXPIRE", "k", "10", "NX", "GT") + cmd("EXPIRE", "k", "9999999999999999") + cmd("PEXPIRE", "k", "9223372036854775807")
            + cmd("PEXPIRE", "k") + cmd("TTL", "k")),
        ("expire", cmd("SET", "k", "v") + cmd("EXPIRE", "k", "100") + cmd("TTL", "k") + cmd("EXPIRE", "k", "-5") + cmd("EXISTS", "k")
            + cmd("SET", "k", "v") + cmd("PEXPIRE", "k", "100000") + cmd("TTL", "k") + cmd("PEXPIRE", "k", "0") + cmd("GET", "k")),
        ("expire nx xx gt lt", cmd("SET", "k", "v") + cmd("EXPIRE", "k", "100", "NX") + cmd("EXPIRE", "k", "200", "NX")
            + cmd("EXPIRE", "k", "50", "XX") + cmd("TTL", "k") + cmd("EXPIRE", "k", "10", "GT") + cmd("EXPIRE", "k", "500", "gt")
            + cmd("EXPIRE", "k", "400", "LT") + cmd("TTL", "k") + cmd("SET", "p", "v") + cmd("EXPIRE", "p", "100", "GT")
            + cmd("EXPIRE", "p", "100", "LT") + cmd("TTL", "p") + cmd("EXPIRE", "nope", "10", "XX") + cmd("SET", "q", "v")
            + cmd("EXPIRE", "q", "10", "XX")),
        ("ttl and pttl", cmd("TTL", "nokey") + cmd("PTTL", "nokey") + cmd("SET", "k", "v") + cmd("TTL", "k") + cmd("PTTL", "k")
            + cmd("TTL") + cmd("PTTL", "a", "b") + cmd("SET", "k", "v", "PX", "1200") + cmd("TTL", "k") + cmd("SET", "k", "v", "PX", "1800")
            + cmd("TTL", "k")),
        ("incr and decr", cmd("INCR") + cmd("INCR", "a", "b") + cmd("INCR", "n") + cmd("INCR", "n") + cmd("DECR", "n")
            + cmd("INCRBY", "n", "10") + cmd("DECRBY", "n", "3") + cmd("INCRBY", "n", "x") + cmd("DECRBY", "n", "x")
            + cmd("INCRBY", "n") + cmd("DECR", "m") + cmd("GET", "n") + cmd("INCRBY", "n", "-100")),
        ("incr on what is not an integer", cmd("SET", "f", "1.5") + cmd("INCR", "f") + cmd("SET", "z", " 1") + cmd("INCR", "z")
            + cmd("SET", "z", "01") + cmd("INCR", "z") + cmd("SET", "z", "+1") + cmd("INCR", "z") + cmd("SET", "z", "-0")
            + cmd("INCR", "z") + cmd("SET", "z", "") + cmd("INCR", "z") + cmd("SET", "z", "12345678901234567890") + cmd("INCR", "z")),
        ("incr overflow", cmd("SET", "big", "9223372036854775807") + cmd("INCR", "big") + cmd("SET", "small", "-9223372036854775808")
            + cmd("DECR", "small") + cmd("DECRBY", "small", "-9223372036854775808") + cmd("INCRBY", "small", "9223372036854775808")
            + cmd("INCRBY", "small", "9223372036854775807") + cmd("DECRBY", "x", "-9223372036854775807")),
        ("incr keeps the expiry", cmd("SET", "n", "5", "EX", "100") + cmd("INCR", "n") + cmd("TTL", "n") + cmd("GET", "n")),
        ("dbsize and flushall", cmd("DBSIZE") + cmd("SET", "a", "1") + cmd("SET", "b", "2") + cmd("DBSIZE") + cmd("DBSIZE", "x")
            + cmd("FLUSHALL") + cmd("DBSIZE") + cmd("FLUSHALL", "x") + cmd("FLUSHALL", "ASYNC") + cmd("FLUSHALL", "sync")
            + cmd("FLUSHALL", "a", "b")),
        ("unknown commands", cmd("FOO") + cmd("FOO", "a", "b") + cmd("foo", String(repeating: "a", count: 200))
            + cmd("FOO", String(repeating: "b", count: 100), String(repeating: "c", count: 100), "d") + cmd("FOO\r\nBAR")
            + encode([[70, 0, 79], [97, 0, 98]]) + cmd("")),
        ("client", cmd("CLIENT") + cmd("CLIENT", "FOO") + cmd("CLIENT", "SETNAME", "my name") + cmd("CLIENT", "SETNAME", "x")
            + cmd("CLIENT", "GETNAME") + cmd("CLIENT", "SETNAME") + cmd("CLIENT", "SETINFO", "LIB-NAME", "x")
            + cmd("CLIENT", "SETNAME", "") + cmd("CLIENT", "GETNAME") + cmd("client", "getname", "x")),
        ("select", cmd("SELECT", "0") + cmd("SELECT", "x") + cmd("SELECT") + cmd("SELECT", "99999999999")),
        ("resp3 after hello 3", cmd("HELLO", "3") + cmd("GET", "nope") + cmd("SET", "a", "1") + cmd("SET", "a", "2", "NX")
            + cmd("CLIENT", "GETNAME") + cmd("SET", "a", "3", "GET") + cmd("HELLO") + cmd("COMMAND", "DOCS", "zzz") + cmd("HELLO", "2")
            + cmd("GET", "nope") + cmd("COMMAND", "DOCS", "zzz")),
        ("hello errors", cmd("HELLO", "x") + cmd("HELLO", "2", "AUTH", "a", "b") + cmd("HELLO", "2", "FOO") + cmd("HELLO", "1")
            + cmd("HELLO", "2", "SETNAME")),
        ("quit closes after its reply", cmd("PING") + cmd("QUIT") + cmd("PING")),
        ("inline commands", raw("PING\r\nECHO hello\r\nSET a \"b c\"\r\nGET a\r\nping\n")),
        ("inline quotes and escapes", raw("SET k \"\\x41\\n\\t\\\"q\\\"\"\r\nGET k\r\nECHO 'it\\'s'\r\nECHO \"\"\r\nECHO a\tb\r\n")),
        ("empty and negative arrays", raw("*0\r\nPING\r\n   \r\n*-1\r\nPING\r\n\r\nPING\r\n")),
        ("a bulk string without an array", raw("$4\r\nPING\r\n")),
        ("protocol error: bulk length too big", raw("*1\r\n$999999999999\r\nPING\r\n")),
        ("protocol error: negative bulk length", raw("PING\r\n*1\r\n$-1\r\n")),
        ("protocol error: bulk length over 512 MB", raw("*1\r\n$536870913\r\n")),
        ("protocol error: multibulk length", raw("*99999999999\r\n")),
        ("protocol error: not a number", raw("*x\r\n")),
        ("protocol error: expected $", raw("ECHO a\r\n*1\r\nPING\r\n")),
        ("protocol error: unbalanced quotes", raw("ECHO \"unterminated\r\nPING\r\n")),
        ("protocol error: text after a closing quote", raw("ECHO \"a\"b\r\n")),
        ("binary keys and values", encode([Array("SET".utf8), [0, 13, 10, 255], [118, 0, 13, 10]]) + encode([Array("GET".utf8), [0, 13, 10, 255]])
            + encode([Array("EXISTS".utf8), [0, 13, 10, 255], [0]])),
        ("pipelining 100 commands", (0..<100).flatMap { _ in cmd("INCR", "p") } + cmd("GET", "p")),
        ("a 1 MB value", cmd("SET", "big", String(repeating: "x", count: 1 << 20)) + cmd("GET", "big")),
        ("a command with 100 000 arguments", encode([Array("DEL".utf8)] + (0..<100_000).map { Array("key\($0)".utf8) })
            + encode([Array("EXISTS".utf8)] + (0..<100_000).map { Array("key\($0)".utf8) })),
        ("an argument split by the bulk length", raw("*2\r\n$4\r\nECHO\r\n$3\r\nabcXY*1\r\n$4\r\nPING\r\n")),
        ("names in any case", cmd("Set", "k", "v", "ex", "100") + cmd("gEt", "k") + cmd("Ttl", "k") + cmd("DeL", "k")),
    ]

    @Test func everyScriptGetsTheBytesRedisServerSends() async throws {
        #expect(Self.scripts.count >= 40)
        // Started and stopped off the cooperative pool (see RedisServer).
        // Stopped by an awaited call, also on failure: a stop left to a detached task can
        // outlive the test process and leave redis-server running.
        let redis = try await Blocking.run { try RedisServer.start() }
        let reference = try await CacheServer.start(port: 0)
        var differences: [String] = []
        do {
            for (name, script) in Self.scripts {
                let expected = Self.withoutClientIDs(try await Self.exchange(script, port: redis.port))
                let got = Self.withoutClientIDs(try await Self.exchange(script, port: reference.port))
                if expected != got {
                    differences.append("\(name):\n  redis-server: \(EscapedBytes.text(expected, limit: 600))\n  reference:    \(EscapedBytes.text(got, limit: 600))")
                }
            }
        } catch {
            await Blocking.run { redis.stop() }
            await reference.stop()
            throw error
        }
        await Blocking.run { redis.stop() }
        await reference.stop()
        #expect(differences.isEmpty, "\(differences.count) of \(Self.scripts.count) scripts differ:\n\(differences.joined(separator: "\n"))")
    }

    /// HELLO's reply names the connection's id, which counts the connections a server has
    /// had: `id` then `:N` becomes `id` then `:ID`.
    static func withoutClientIDs(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("$2\r\nid\r\n") else { return bytes }
        let replaced = text.replacingOccurrences(of: #"\$2\r\nid\r\n:\d+\r\n"#, with: "\\$2\r\nid\r\n:ID\r\n", options: .regularExpression)
        return Array(replaced.utf8)
    }

    /// Empties the server, then sends the script on a new connection and reads until every
    /// command has its reply, or the server closed the connection.
    static func exchange(_ script: [UInt8], port: Int) async throws -> [UInt8] {
        try await Blocking.run {
            let flush = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
            _ = try flush.send(cmd("FLUSHALL"), deadline: Date().addingTimeInterval(5))
            _ = try flush.receive(deadline: Date().addingTimeInterval(5))
            flush.close()
            let (expected, closes) = replies(expectedFor: script)
            let socket = try LoopbackSocket.connect(port: port, deadline: Date().addingTimeInterval(5))
            defer { socket.close() }
            let deadline = Date().addingTimeInterval(20)
            var received: [UInt8] = []
            let sender = Thread { _ = try? socket.send(script, deadline: deadline) }
            sender.start()
            while Date() < deadline {
                // Then, after a protocol error or QUIT, the server must close the connection.
                if RESPReplies.count(received) >= expected && !closes { break }
                switch try socket.receive(maximum: 1 << 20, deadline: deadline) {
                case .bytes(let bytes): received += bytes
                case .closed: return received + Array("<closed>".utf8)
                case .timedOut: return received + Array("<timed out>".utf8)
                }
            }
            return received
        }
    }

    /// How many replies a script gets: one per command up to a protocol error (whose error
    /// reply is the last), as the decoder splits it; QUIT's is the last too.
    static func replies(expectedFor script: [UInt8]) -> (count: Int, closes: Bool) {
        var decoder = RESPRequestDecoder()
        var buffer = ByteBuffer(bytes: script)
        var count = 0
        while let request = try? decoder.decode(buffer: &buffer) {
            count += 1
            if case .protocolError = request { return (count, true) }
            if case .command(let words) = request, String(decoding: words[0], as: UTF8.self).lowercased() == "quit" { return (count, true) }
        }
        return (count, false)
    }
}
