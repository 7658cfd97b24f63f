import Foundation
import Grading

/// What a cache check's body works with, on a thread of its own (its sockets block): the
/// learner's server's port, the model of redis-server the replies are compared with, and
/// the check's keys and values, fresh and seeded (a `--seed` replays them).
struct CacheCheck: Sendable {
    let port: Int
    let deadline: Date
    let model: RedisModel
    let keys: CheckKeys

    /// Runs `body` against the server, once it accepts connections.
    static func run(_ context: CheckContext, model: RedisModel = RedisModel(), _ body: @escaping @Sendable (CacheCheck) throws -> Void) async throws {
        let port = try await context.endpoint().port
        let check = CacheCheck(port: port, deadline: context.deadline, model: model, keys: CheckKeys(context))
        try await Blocking.run { try body(check) }
    }

    /// A new client connection.
    func connect(_ label: String? = nil) throws -> RESPSession {
        try RESPSession(port: port, deadline: deadline, model: model, label: label)
    }

    /// Blocks the thread until `date` (or the check's deadline, if that comes first).
    func sleep(until date: Date) {
        let wait = min(date, deadline).timeIntervalSinceNow
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}

/// Keys and values for one check: keys are named after the check (`set-get:nx-xx:…`), so no
/// two checks share a key, whatever the server kept from earlier stages; values are words
/// and numbers from the check's seeded generator.
struct CheckKeys: Sendable {
    let prefix: String
    private let seed: UInt64

    init(_ context: CheckContext) {
        var random = context.random()
        prefix = context.checkID.replacingOccurrences(of: "/", with: ":") + ":" + String(random.next() % 0x10000, radix: 16).leftPadded(to: 4)
        seed = random.next()
    }

    func key(_ name: String) -> String { "\(prefix):\(name)" }

    /// A value for `name`: the same name gives the same value within the check.
    func value(_ name: String, length: Int = 0) -> String {
        var random = SeededRandom(seed: seed, label: name)
        var words: [String] = []
        var total = 0
        repeat {
            words.append(Self.words[Int(random.next() % UInt64(Self.words.count))])
            total += words.last!.count + 1
        } while total <= length
        let text = words.joined(separator: "-")
        return length > 0 ? String(text.prefix(length)) : text
    }

    static let words = ["amber", "basil", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper",
                        "kestrel", "lumen", "meadow", "nectar", "opal", "pepper", "quartz", "russet", "saffron", "tundra"]
}

/// A check that cannot run as the exercise is set up (a variable missing from its
/// manifest, a file the grader cannot change): the grader's problem, reported as an error.
struct CheckSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
