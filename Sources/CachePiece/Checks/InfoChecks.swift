import Foundation
import Grading

/// Stage 8: INFO's `keyspace_hits` and `keyspace_misses`, the numbers an operator reads a
/// cache's hit rate from: a GET that finds its key is a hit; one that does not (never set,
/// deleted, expired) is a miss.
enum InfoChecks {
    static let checks: [Check] = [
        Check("hits-misses", "INFO counts a GET that finds its key as a hit, one that does not as a miss") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let before = try counters(client)
                let present = keys.key("present"), expiring = keys.key("expiring")
                try client.expect(CacheCommand("SET", present, keys.value("present")))
                try client.expect(CacheCommand("SET", expiring, keys.value("expiring"), "PX", "1"))
                try client.expect(CacheCommand("GET", present))
                try client.expect(CacheCommand("GET", present))
                try client.expect(CacheCommand("GET", keys.key("never-set")))
                try client.expect(CacheCommand("GET", keys.key("also-never-set")))
                cache.sleep(until: Date().addingTimeInterval(0.2))
                try client.expect(CacheCommand("GET", expiring), .exactly(.null), why: "it was set with PX 1 some 200 ms ago")
                let after = try counters(client)
                let hits = after.hits - before.hits, misses = after.misses - before.misses
                guard hits == 2, misses == 3 else {
                    throw CheckFailure("between two INFO replies, keyspace_hits went up by \(hits) and keyspace_misses by \(misses)",
                                       sent: "INFO stats, then: GET of a key that exists (twice), GET of two keys never set, GET of a key that had expired, then INFO stats",
                                       received: "keyspace_hits:\(before.hits) then keyspace_hits:\(after.hits)\nkeyspace_misses:\(before.misses) then keyspace_misses:\(after.misses)",
                                       expected: "keyspace_hits up by 2 and keyspace_misses up by 3, as redis-server 7 counts them",
                                       hint: "count in GET: a hit when the key is there and has not expired, a miss otherwise (SET and INFO count neither)")
                }
            }
        },
    ]

    /// Sends `INFO stats` and reads `keyspace_hits` and `keyspace_misses` from the reply.
    static func counters(_ client: RESPSession) throws -> (hits: Int, misses: Int) {
        let command = CacheCommand("INFO", "stats")
        let reply = try client.expect(command, .bulk, hint: "INFO answers one bulk string of field:value lines, keyspace_hits:N and keyspace_misses:N among them")
        guard case .bulk(let bytes) = reply else { return (0, 0) }
        let text = String(decoding: bytes, as: UTF8.self)
        var fields: [String: Int] = [:]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 1)
            if parts.count == 2, let number = Int(parts[1]) { fields[String(parts[0])] = number }
        }
        guard let hits = fields["keyspace_hits"], let misses = fields["keyspace_misses"] else {
            let missing = ["keyspace_hits", "keyspace_misses"].filter { fields[$0] == nil }.joined(separator: " and ")
            throw CheckFailure("INFO's reply has no \(missing) line with a number", sent: client.sentText(command),
                               received: EscapedBytes.text(bytes, limit: 1500),
                               expected: "lines such as keyspace_hits:12\\r\\n and keyspace_misses:3\\r\\n in the text (redis-server 7 puts them under # Stats)",
                               hint: "write each counter on a line of its own, name:value, lines ending in \\r\\n")
        }
        return (hits, misses)
    }
}
