import Foundation
import Grading

/// One client connection of a check to the learner's cache, used from a blocking thread
/// (`CacheCheck.run`). Each command's reply is read as a Redis client reads it and compared
/// with what redis-server answers (`RedisModel`); a failure shows the exact bytes sent and
/// received, escaped, the commands before it on the connection, and redis-server's reply.
final class RESPSession: @unchecked Sendable {
    let connection: TCPConnection
    let model: RedisModel
    /// How messages name this client when a check has several ("client 3 of 10").
    let label: String?
    /// Commands and raw replies so far, for the context of a failure.
    private var exchanges: [(command: CacheCommand, reply: [UInt8])] = []

    /// How long one reply may take: generous, since a loaded grader is slow, and a server
    /// that answers at all answers in milliseconds.
    static let replySeconds = 5.0

    init(port: Int, deadline: Date, model: RedisModel, label: String? = nil) throws {
        self.model = model
        self.label = label
        do {
            connection = try TCPConnection(port: port, timeout: Self.replySeconds, deadline: deadline)
        } catch {
            throw CheckFailure("\(label ?? "the client") could not connect to 127.0.0.1:\(port): \(error)",
                               hint: "listen on 127.0.0.1:$PORT, and keep accepting connections while others are open")
        }
    }

    func close() {
        connection.close()
    }

    /// Sends the commands in one write (a pipeline when there are several).
    func send(_ commands: [CacheCommand]) throws {
        let bytes = commands.flatMap(\.encoded)
        do {
            try connection.send(bytes, timeout: Self.replySeconds)
        } catch {
            throw CheckFailure("\(prefix)could not send \(commands.count == 1 ? "`\(commands[0].readable)`" : "\(commands.count) commands"): \(error)",
                               sent: EscapedBytes.text(bytes, limit: 600), received: connection.transcript.receivedText(limit: 600))
        }
    }

    /// Sends the bytes as they are (part of a command, for a client that writes slowly).
    func sendRaw(_ bytes: [UInt8]) throws {
        do {
            try connection.send(bytes, timeout: Self.replySeconds)
        } catch {
            throw CheckFailure("\(prefix)could not send: \(error)", sent: EscapedBytes.text(bytes))
        }
    }

    /// Sends `command` and checks its reply; returns the reply.
    @discardableResult
    func expect(_ command: CacheCommand, _ expectation: ReplyExpectation = .redis, why: String? = nil, hint: String? = nil) throws -> RESPReply {
        let asked = Date()
        try send([command])
        return try expectReply(to: command, expectation, why: why, hint: hint, asked: asked)
    }

    /// Reads the reply to `command`, already sent, and checks it.
    @discardableResult
    func expectReply(to command: CacheCommand, _ expected: ReplyExpectation = .redis, why: String? = nil, hint: String? = nil,
                     asked: Date = Date()) throws -> RESPReply {
        let redis = model.reply(to: command)
        let wanted: RESPReply
        if case .exactly(let reply) = expected { wanted = reply } else { wanted = redis }
        let read = ReplyReader.read(connection, seconds: min(Self.replySeconds, max(0.5, connection.deadline.timeIntervalSinceNow)))
        let expectation = expected.resolved(asked: asked, answered: Date())
        let what: String
        let received: [UInt8]
        switch read {
        case .reply(let raw, let value):
            if expectation.accepts(raw, value, redis: wanted) {
                exchanges.append((command, raw))
                return value
            }
            what = "answered \(value.described)"
            received = raw
        case .malformed(let raw, let problem):
            what = "answered something that is not RESP: \(problem)"
            received = raw
        case .closed(let partial):
            what = partial.isEmpty ? "got no answer: the server closed the connection" : "got part of an answer, then the server closed the connection"
            received = partial
        case .silent(let partial, let seconds):
            what = partial.isEmpty ? "got no answer within \(SubmissionResult.format(seconds)) s"
                                   : "got only part of an answer within \(SubmissionResult.format(seconds)) s"
            received = partial
        }
        var receivedText = received.isEmpty ? "(nothing)" : EscapedBytes.text(received, limit: 600)
        if case .closed = read { receivedText += "\n(then the server closed the connection)" }
        throw CheckFailure("\(prefix)`\(command.readable)` \(what)" + (why.map { ": \($0)" } ?? ""),
                           sent: sentText(command), received: receivedText,
                           expected: expectation.described(redis: wanted), hint: hint)
    }

    /// The failing command's bytes, after the last few exchanges on the connection.
    func sentText(_ command: CacheCommand) -> String {
        let earlier = exchanges.suffix(6)
        var lines: [String] = []
        if !earlier.isEmpty {
            let skipped = exchanges.count - earlier.count
            lines.append("(earlier on this connection\(skipped > 0 ? ", after \(skipped) more" : ""): "
                         + earlier.map { "\($0.command.readable) → \(Self.oneLine($0.reply))" }.joined(separator: "; ") + ")")
        }
        lines.append(EscapedBytes.text(command.encoded, limit: 600))
        return lines.joined(separator: "\n")
    }

    /// Escaped bytes on one line (EscapedBytes breaks the line after each \r\n).
    static func oneLine(_ bytes: [UInt8], limit: Int = 80) -> String {
        EscapedBytes.text(bytes, limit: limit).replacingOccurrences(of: "\n", with: "")
    }

    private var prefix: String { label.map { "\($0): " } ?? "" }
}
