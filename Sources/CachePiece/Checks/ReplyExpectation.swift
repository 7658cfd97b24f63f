import Foundation
import Grading

/// What a check accepts as the reply to one command. By default redis-server's reply,
/// byte for byte, except that where redis-server answers an error any error is right
/// (the README fixes no error text); a number that depends on time is a range.
enum ReplyExpectation: Sendable {
    /// What redis-server answers (computed by `RedisModel`); any error line for an error.
    case redis
    /// An integer in the range, which `meaning` explains ("seconds left of 100").
    case integer(ClosedRange<Int64>, meaning: String)
    /// A bulk string, whatever it holds (INFO's text).
    case bulk
    /// Time left, in `unit`, of an expiry of `totalMS` milliseconds set by a command sent at `setSent` and
    /// answered at `setAnswered`: whatever the machine's load, the server's clock moved on
    /// at most from `setSent` to the reply, and at least from `setAnswered` to the question.
    case countdown(totalMS: Int64, unit: TimeUnit, setSent: Date, setAnswered: Date)
    /// Exactly this reply, which is what redis-server answers where the model cannot know
    /// (keys written by many clients at once, evictions, a restart with a torn log).
    case exactly(RESPReply)

    enum TimeUnit: Sendable {
        case seconds, milliseconds
    }

    /// A countdown as the integers it accepts for a command asked at `asked` and answered at
    /// `answered`; other expectations as they are.
    func resolved(asked: Date, answered: Date) -> ReplyExpectation {
        guard case .countdown(let totalMS, let unit, let setSent, let setAnswered) = self else { return self }
        let scale: Int64 = unit == .seconds ? 1000 : 1
        let total = totalMS / scale
        let lowerMS = totalMS - Int64((answered.timeIntervalSince(setSent) * 1000).rounded(.up)) - 1
        let upperMS = totalMS - max(0, Int64((asked.timeIntervalSince(setAnswered) * 1000).rounded(.down))) + 1
        let lower = max(0, Int64((Double(lowerMS) / Double(scale)).rounded(.down)))
        let upper = max(lower, min(total, Int64((Double(upperMS) / Double(scale)).rounded(.up))))
        let word = unit == .seconds ? "seconds" : "milliseconds"
        let since = String(format: "%.2f", asked.timeIntervalSince(setSent))
        return .integer(lower...upper, meaning: "\(word) left of \(total), set about \(since) s before")
    }

    /// Whether `raw` (read as `value`) is accepted when redis-server answers `redis`.
    func accepts(_ raw: [UInt8], _ value: RESPReply, redis: RESPReply) -> Bool {
        switch self {
        case .redis:
            return redis.isError ? value.isError : raw == redis.bytes
        case .integer(let range, _):
            if case .integer(let number) = value { return range.contains(number) }
            return false
        case .bulk:
            if case .bulk = value { return true }
            return false
        case .exactly(let reply):
            return reply.isError ? value.isError : raw == reply.bytes
        case .countdown:
            return false // resolved first
        }
    }

    /// The `expected` part of a failure message.
    func described(redis: RESPReply) -> String {
        let bytes = EscapedBytes.text(redis.bytes, limit: 400)
        switch self {
        case .redis where redis.isError:
            return "an error: a line starting with - (any message), as redis-server 7 answers\n\(bytes)"
        case .redis:
            return "\(bytes)\n(redis-server 7's reply, \(redis.described))"
        case .integer(let range, let meaning):
            let span = range.lowerBound == range.upperBound ? ":\(range.lowerBound)\\r\\n" : "an integer from \(range.lowerBound) to \(range.upperBound)"
            return "\(span) (\(meaning)); redis-server 7 answered \(bytes) in the same place"
        case .bulk:
            return "a bulk string ($ and its length, then the text), as redis-server 7 answers"
        case .exactly(let reply):
            return ReplyExpectation.redis.described(redis: reply)
        case .countdown(let totalMS, let unit, _, _):
            return unit == .seconds ? "the seconds left of \(totalMS / 1000)" : "the milliseconds left of \(totalMS)"
        }
    }
}
