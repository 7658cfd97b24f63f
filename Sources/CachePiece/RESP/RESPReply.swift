import NIOCore

/// A reply in RESP2, the Redis protocol version 2, as redis-server 7 writes it.
enum RESPReply: Equatable, Sendable {
    case simple(String)
    /// An error line; the message is written with `\r` and `\n` replaced by spaces, as
    /// redis-server does, so a reply is always one line.
    case error(String)
    case integer(Int64)
    case bulk([UInt8])
    case null
    case array([RESPReply])

    static let ok = RESPReply.simple("OK")
    static let zero = RESPReply.integer(0)
    static let one = RESPReply.integer(1)

    static func bulk(_ text: String) -> RESPReply { .bulk(Array(text.utf8)) }

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .simple(let text):
            buffer.writeInteger(UInt8(ascii: "+"))
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
        case .error(let message):
            buffer.writeInteger(UInt8(ascii: "-"))
            for byte in message.utf8 {
                buffer.writeInteger(byte == 13 || byte == 10 ? UInt8(ascii: " ") : byte)
            }
            buffer.writeStaticString("\r\n")
        case .integer(let value):
            buffer.writeInteger(UInt8(ascii: ":"))
            buffer.writeString(String(value))
            buffer.writeStaticString("\r\n")
        case .bulk(let bytes):
            buffer.writeInteger(UInt8(ascii: "$"))
            buffer.writeString(String(bytes.count))
            buffer.writeStaticString("\r\n")
            buffer.writeBytes(bytes)
            buffer.writeStaticString("\r\n")
        case .null:
            buffer.writeStaticString("$-1\r\n")
        case .array(let items):
            buffer.writeInteger(UInt8(ascii: "*"))
            buffer.writeString(String(items.count))
            buffer.writeStaticString("\r\n")
            for item in items { item.write(into: &buffer) }
        }
    }

    var bytes: [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        write(into: &buffer)
        return Array(buffer.readableBytesView)
    }
}
