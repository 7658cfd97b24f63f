import Foundation
import Grading

/// Stage 9: with `MAX_KEYS` set, the cache holds at most that many keys; a new key beyond
/// it evicts the least recently used (a GET or a SET is a use).
enum EvictionChecks {
    /// MAX_KEYS as the program was given it.
    static func maximum(_ context: CheckContext) throws -> Int {
        guard let text = context.variables["MAX_KEYS"], let maximum = Int(text), maximum > 0 else {
            throw CheckSetupError("the cache exercise's eviction stage needs MAX_KEYS among its variables (environment in exercise.yaml)")
        }
        return maximum
    }

    /// Sets the keys with one pipelined write and checks every reply is +OK.
    static func fill(_ client: RESPSession, _ keys: [String], values: CheckKeys) throws {
        let commands = keys.map { CacheCommand("SET", $0, values.value($0)) }
        try client.send(commands)
        for command in commands { try client.expectReply(to: command, .exactly(.ok)) }
    }

    static let extra = 5

    static let checks: [Check] = [
        Check("bound", "with MAX_KEYS keys stored, each new key evicts the oldest") { context in
            let maximum = try maximum(context)
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let names = (0..<(maximum + extra)).map { cache.keys.key("e\($0)") }
                try fill(client, names, values: cache.keys)
                let hint = "before adding a key when MAX_KEYS keys are stored, remove the least recently used one (a list ordered by use, container/list, beside the map)"
                for name in names.prefix(extra) {
                    try client.expect(CacheCommand("EXISTS", name), .exactly(.zero),
                                      why: "MAX_KEYS is \(maximum) and \(maximum + extra) new keys were set after it, this one among the first \(extra): it is the least recently used",
                                      hint: hint)
                }
                let newest = Array(names.suffix(maximum))
                try client.expect(CacheCommand(arguments: [Array("EXISTS".utf8)] + newest.map { Array($0.utf8) }), .exactly(.integer(Int64(maximum))),
                                  why: "the \(maximum) keys set last are all kept (MAX_KEYS is \(maximum))",
                                  hint: "evict one key per new key, and only when the cache is full")
            }
        },
        Check("recently-used", "a GET makes a key recently used, so eviction takes another") { context in
            let maximum = try maximum(context)
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let names = (0...(maximum + 1)).map { cache.keys.key("r\($0)") }
                try fill(client, Array(names.prefix(maximum)), values: cache.keys)
                try client.expect(CacheCommand("GET", names[0]), .exactly(.bulk(cache.keys.value(names[0]))),
                                  why: "the \(maximum) keys just set fill the cache, this is the first of them")
                let hint = "a GET (like a SET) moves the key to the front of the use order; evict from the back"
                try client.expect(CacheCommand("SET", names[maximum], cache.keys.value(names[maximum])), .exactly(.ok))
                try client.expect(CacheCommand("EXISTS", names[0]), .exactly(.one),
                                  why: "\(names[0]) was read after the others were set, so \(names[1]) was the least recently used, not it", hint: hint)
                try client.expect(CacheCommand("EXISTS", names[1]), .exactly(.zero),
                                  why: "\(names[1]) was the least recently used when a new key came in", hint: hint)
                try client.expect(CacheCommand("SET", names[maximum + 1], cache.keys.value(names[maximum + 1])), .exactly(.ok))
                try client.expect(CacheCommand("EXISTS", names[2]), .exactly(.zero),
                                  why: "\(names[2]) was the least recently used when another new key came in", hint: hint)
                try client.expect(CacheCommand("GET", names[0]), .exactly(.bulk(cache.keys.value(names[0]))),
                                  why: "it was read after \(names[1]) and \(names[2]) were set, so they went first", hint: hint)
            }
        },
    ]
}
