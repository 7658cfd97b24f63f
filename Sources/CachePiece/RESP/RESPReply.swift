import NIOCore

/// A reply as redis-server 7 writes it, in RESP2 or (for a client that said HELLO 3) RESP3,
/// which differ only in nulls, maps and INFO's verbatim text among the replies used here.
enum RESPReply: Equatable, Sendable {
    case simple(String)
    /// An error line; the message is written with `\r` and `\n` replaced by spaces, as
    /// redis-server does, so a reply is always one line.
    case error(String)
    case integer(Int64)
    case bulk([UInt8])
    case null
    case array([RESPReply])
    /// Keys and values, alternating: a map in RESP3, a flat array in RESP2.
    case map([RESPReply])
    /// Text (INFO's): a verbatim string in RESP3, a bulk string in RESP2.
    case verbatim(String)

    static let ok = RESPReply.simple("OK")
    static let zero = RESPReply.integer(0)
    static let one = RESPReply.integer(1)

    static func bulk(_ text: String) -> RESPReply { .bulk(Array(text.utf8)) }

    func write(into buffer: inout ByteBuffer, resp3: Bool = false) {
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
            buffer.writeStaticString(resp3 ? "_\r\n" : "$-1\r\n")
        case .array(let items):
            buffer.writeInteger(UInt8(ascii: "*"))
            buffer.writeString(String(items.count))
            buffer.writeStaticString("\r\n")
            for item in items { item.write(into: &buffer, resp3: resp3) }
        case .map(let items):
            buffer.writeInteger(resp3 ? UInt8(ascii: "%") : UInt8(ascii: "*"))
            buffer.writeString(String(resp3 ? items.count / 2 : items.count))
            buffer.writeStaticString("\r\n")
            for item in items { item.write(into: &buffer, resp3: resp3) }
        case .verbatim(let text):
            if resp3 {
                buffer.writeInteger(UInt8(ascii: "="))
                buffer.writeString(String(text.utf8.count + 4))
                buffer.writeStaticString("\r\ntxt:")
                buffer.writeString(text)
                buffer.writeStaticString("\r\n")
            } else {
                RESPReply.bulk(text).write(into: &buffer)
            }
        }
    }

    var bytes: [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        write(into: &buffer)
        return Array(buffer.readableBytesView)
    }
}
