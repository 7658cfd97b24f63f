@testable import CachePiece
import NIOCore
import NIOTestUtils
import Testing

/// The request decoder at the byte level: whole commands only, in any split of the bytes
/// (the verifier also feeds them one byte at a time), inline commands, and redis-server's
/// protocol errors.
@Suite struct RESPDecoderTests {
    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
    static func command(_ words: String...) -> RESPRequest { .command(words.map { Array($0.utf8) }) }

    @Test func arraysAndInlineCommandsDecodeInAnySplit() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (Self.bytes("*1\r\n$4\r\nPING\r\n"), [Self.command("PING")]),
                (Self.bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n"), [.command([Array("SET".utf8), [107], Array("a\r\nb".utf8)])]),
                (Self.bytes("ECHO hello\r\n"), [Self.command("ECHO", "hello")]),
                (Self.bytes("SET a \"b c\\x41\\n\" 'it\\'s'\r\n"), [Self.command("SET", "a", "b cA\n", "it's")]),
                (Self.bytes("*0\r\n   \r\nPING\n"), [Self.command("PING")]),
                (Self.bytes("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"), [.command([Array("ECHO".utf8), []])]),
            ],
            decoderFactory: { RESPRequestDecoder() })
    }

    @Test(arguments: [
        ("*1\r\n$999999999999\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
        ("*99999999999\r\n", "Protocol error: invalid multibulk length"),
        ("*x\r\n", "Protocol error: invalid multibulk length"),
        ("*1\r\nPING\r\n", "Protocol error: expected '$', got 'P'"),
        ("ECHO \"unterminated\r\n", "Protocol error: unbalanced quotes in request"),
        ("ECHO \"a\"b\r\n", "Protocol error: unbalanced quotes in request"),
    ]) func badFramingIsAProtocolError(_ input: String, _ message: String) throws {
        var decoder = RESPRequestDecoder()
        var buffer = Self.bytes(input)
        #expect(try decoder.decode(buffer: &buffer) == .protocolError(message))
        #expect(try decoder.decode(buffer: &buffer) == nil, "nothing is decoded after a protocol error")
    }

    @Test func aHugeBulkLengthIsWaitedForNotRefusedAndLongLinesAreBounded() throws {
        var decoder = RESPRequestDecoder()
        var buffer = Self.bytes("*1\r\n$536870912\r\n")
        #expect(try decoder.decode(buffer: &buffer) == nil, "512 MB is allowed: wait for it")
        var inline = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 70_000))
        var other = RESPRequestDecoder()
        #expect(try other.decode(buffer: &inline) == .protocolError("Protocol error: too big inline request"))
    }

    @Test func integersAreReadAsRedisServerReadsThem() {
        #expect(RedisInteger.parse(Array("0".utf8)) == 0)
        #expect(RedisInteger.parse(Array("-9223372036854775808".utf8)) == Int64.min)
        #expect(RedisInteger.parse(Array("9223372036854775807".utf8)) == Int64.max)
        for bad in ["", "01", "+1", " 1", "-0", "1.5", "9223372036854775808", "-", "1a"] {
            #expect(RedisInteger.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
