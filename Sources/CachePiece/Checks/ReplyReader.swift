import Foundation
import Grading

/// One reply read off a connection, byte by byte as a client library reads it: the raw
/// bytes (what failure messages show) and what they mean.
enum ReplyRead: Equatable, Sendable {
    case reply(raw: [UInt8], value: RESPReply)
    /// Not RESP: `raw` is what was read up to the problem.
    case malformed(raw: [UInt8], problem: String)
    /// The server closed the connection first.
    case closed(partial: [UInt8])
    /// Nothing complete came within `seconds`.
    case silent(partial: [UInt8], seconds: Double)
}

/// Reads RESP2 replies: `+simple`, `-error`, `:integer`, `$bulk` (`$-1` nil), `*array`
/// (`*-1` nil), each line ending in `\r\n`, a bulk string's bytes counted, not read to a
/// line end.
enum ReplyReader {
    static func read(_ connection: TCPConnection, seconds: Double) -> ReplyRead {
        var raw: [UInt8] = []
        return read(connection, until: Date().addingTimeInterval(seconds), raw: &raw)
    }

    private static func read(_ connection: TCPConnection, until deadline: Date, raw: inout [UInt8]) -> ReplyRead {
        func left() -> Double { max(0, deadline.timeIntervalSinceNow) }
        func stopped(_ read: TCPRead) -> ReplyRead? {
            switch read {
            case .data: return nil
            case .closed(let partial): return .closed(partial: raw + partial)
            case .silent(let partial, let seconds): return .silent(partial: raw + partial, seconds: seconds)
            }
        }
        let lineRead = connection.read(until: [10], timeout: left())
        if let stop = stopped(lineRead) { return stop }
        guard case .data(let line) = lineRead else { return .closed(partial: raw) }
        raw += line
        guard line.count >= 2, line[line.count - 2] == 13 else {
            return .malformed(raw: raw, problem: "a line ends in \\n without the \\r before it: RESP lines end in \\r\\n")
        }
        let body = Array(line.dropLast(2))
        guard let type = body.first else {
            return .malformed(raw: raw, problem: "an empty line, where a reply starts with + - : $ or *")
        }
        let text = String(decoding: body.dropFirst(), as: UTF8.self)
        switch type {
        case UInt8(ascii: "+"):
            return .reply(raw: raw, value: .simple(text))
        case UInt8(ascii: "-"):
            return .reply(raw: raw, value: .error(text))
        case UInt8(ascii: ":"):
            guard let value = Int64(text) else { return .malformed(raw: raw, problem: "\":\" is followed by \(quoted(text)), not an integer") }
            return .reply(raw: raw, value: .integer(value))
        case UInt8(ascii: "$"):
            guard let length = Int(text), length >= -1 else {
                return .malformed(raw: raw, problem: "\"$\" is followed by \(quoted(text)), not a length (or -1 for nil)")
            }
            if length == -1 { return .reply(raw: raw, value: .null) }
            let payloadRead = connection.read(count: length + 2, timeout: left())
            if let stop = stopped(payloadRead) { return stop }
            guard case .data(let payload) = payloadRead else { return .closed(partial: raw) }
            raw += payload
            guard payload.suffix(2) == [13, 10] else {
                return .malformed(raw: raw, problem: "the \(length) bytes of the bulk string are not followed by \\r\\n (is the length the number of bytes?)")
            }
            return .reply(raw: raw, value: .bulk(Array(payload.dropLast(2))))
        case UInt8(ascii: "*"):
            guard let count = Int(text), count >= -1 else {
                return .malformed(raw: raw, problem: "\"*\" is followed by \(quoted(text)), not a count (or -1 for nil)")
            }
            if count == -1 { return .reply(raw: raw, value: .null) }
            var items: [RESPReply] = []
            for _ in 0..<count {
                let item = read(connection, until: deadline, raw: &raw)
                guard case .reply(_, let value) = item else { return item }
                items.append(value)
            }
            return .reply(raw: raw, value: .array(items))
        default:
            return .malformed(raw: raw, problem: "a reply starts with + - : $ or *, not \(quoted(String(decoding: [type], as: UTF8.self)))")
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + EscapedBytes.text(Array(text.utf8), limit: 60) + "\""
    }
}

extension RESPReply {
    /// In words, for failure messages: `the simple string OK`, `nil (the null bulk string)`.
    var described: String {
        switch self {
        case .simple(let text): return "the simple string \(text)"
        case .error(let text): return "the error \(ReplyReader.quoted(text))"
        case .integer(let value): return "the integer \(value)"
        case .bulk(let bytes): return bytes.isEmpty ? "an empty bulk string (not nil)" : "the bulk string \(CacheCommand.word(bytes))"
        case .null: return "nil"
        case .array(let items): return "an array of \(items.count)"
        case .map(let items): return "a map of \(items.count / 2)"
        case .verbatim: return "a text"
        }
    }

    var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
