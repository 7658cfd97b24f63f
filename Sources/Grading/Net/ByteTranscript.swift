/// Exactly what went over one connection, in order: the bytes a check sent and the bytes
/// that came back (whether or not the check read them yet), and whether the peer closed.
/// Failure messages show it through `EscapedBytes`, so a stray `\r` or NUL is visible.
public struct ByteTranscript: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        case sent, received
    }

    public struct Turn: Sendable, Equatable {
        public let direction: Direction
        public internal(set) var bytes: [UInt8]
    }

    /// Consecutive writes (or reads) in one direction form one turn.
    public private(set) var turns: [Turn] = []
    /// True once the peer closed (or reset) the connection.
    public internal(set) var peerClosed = false

    public init() {}

    mutating func record(_ direction: Direction, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if turns.last?.direction == direction {
            turns[turns.count - 1].bytes += bytes
        } else {
            turns.append(Turn(direction: direction, bytes: bytes))
        }
    }

    public var sent: [UInt8] { turns.filter { $0.direction == .sent }.flatMap(\.bytes) }
    public var received: [UInt8] { turns.filter { $0.direction == .received }.flatMap(\.bytes) }

    /// Everything sent, escaped; "(nothing)" when nothing was.
    public func sentText(limit: Int = EscapedBytes.defaultLimit) -> String {
        Self.shown(sent, limit: limit)
    }

    /// Everything received, escaped, and "(then the server closed the connection)" on a line
    /// of its own when it did; "(nothing)" when nothing came.
    public func receivedText(limit: Int = EscapedBytes.defaultLimit) -> String {
        let text = Self.shown(received, limit: limit)
        return peerClosed ? text + "\n(then the server closed the connection)" : text
    }

    static func shown(_ bytes: [UInt8], limit: Int) -> String {
        bytes.isEmpty ? "(nothing)" : EscapedBytes.text(bytes, limit: limit)
    }
}
