import Foundation
import Grading

/// Stage 5: expiry. TTL and PTTL count down from SET's EX and PX and from EXPIRE, and a key
/// whose time is up is gone. Times are checked against bounds the check measured itself
/// (how long the commands took to come back), never against a guess of how fast the
/// machine is, so a loaded grader cannot fail a correct server.
enum ExpiryChecks {
    static let checks: [Check] = [
        Check("ttl", "TTL and PTTL count down from EX, PX and EXPIRE; -1 without expiry, -2 for no key") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let unitHint = "TTL answers whole seconds, PTTL milliseconds: keep the expiry as an absolute time (Unix milliseconds) and subtract now"
                let exKey = keys.key("ex")
                var sent = Date()
                try client.expect(CacheCommand("SET", exKey, keys.value("ex"), "EX", "1000"))
                var answered = Date()
                try client.expect(CacheCommand("TTL", exKey), .countdown(totalMS: 1_000_000, unit: .seconds, setSent: sent, setAnswered: answered), hint: unitHint)
                try client.expect(CacheCommand("PTTL", exKey), .countdown(totalMS: 1_000_000, unit: .milliseconds, setSent: sent, setAnswered: answered), hint: unitHint)

                let pxKey = keys.key("px")
                sent = Date()
                try client.expect(CacheCommand("SET", pxKey, keys.value("px"), "PX", "500000"))
                answered = Date()
                try client.expect(CacheCommand("PTTL", pxKey), .countdown(totalMS: 500_000, unit: .milliseconds, setSent: sent, setAnswered: answered), hint: unitHint)
                try client.expect(CacheCommand("TTL", pxKey), .countdown(totalMS: 500_000, unit: .seconds, setSent: sent, setAnswered: answered), hint: unitHint)

                let plain = keys.key("plain")
                try client.expect(CacheCommand("SET", plain, keys.value("plain")))
                try client.expect(CacheCommand("TTL", plain), why: "a key without expiry has TTL -1")
                try client.expect(CacheCommand("PTTL", plain), why: "a key without expiry has PTTL -1")
                try client.expect(CacheCommand("TTL", keys.key("missing")), why: "TTL of a missing key is -2")
                try client.expect(CacheCommand("PTTL", keys.key("missing")), why: "PTTL of a missing key is -2")

                sent = Date()
                try client.expect(CacheCommand("EXPIRE", plain, "2000"), why: "EXPIRE on an existing key answers 1")
                answered = Date()
                try client.expect(CacheCommand("TTL", plain), .countdown(totalMS: 2_000_000, unit: .seconds, setSent: sent, setAnswered: answered), hint: unitHint)
                try client.expect(CacheCommand("EXPIRE", keys.key("missing"), "100"), why: "EXPIRE on a missing key answers 0")

                try client.expect(CacheCommand("SET", exKey, keys.value("again")))
                try client.expect(CacheCommand("TTL", exKey), why: "a SET without EX or PX replaces the value and drops the old expiry, as in Redis",
                                  hint: "SET without EX/PX stores the key with no expiry")
            }
        },
        Check("expires", "a key whose time is up is gone: GET nil, EXISTS 0, TTL -2") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let px = keys.key("px"), ex = keys.key("ex"), kept = keys.key("kept")
                try client.expect(CacheCommand("SET", px, keys.value("px"), "PX", "300"))
                try client.expect(CacheCommand("SET", ex, keys.value("ex"), "EX", "1"))
                // Both expire within a second of now, since each was set before its reply came.
                let setBy = Date()
                try client.expect(CacheCommand("SET", kept, keys.value("kept"), "EX", "1000"))
                cache.sleep(until: setBy.addingTimeInterval(1.3))
                let hint = "check the expiry time in every command that reads a key, and treat an expired key as missing (delete it then)"
                let gone = "it was set with PX 300 more than 1.3 s ago"
                try client.expect(CacheCommand("GET", px), .exactly(.null), why: gone, hint: hint)
                try client.expect(CacheCommand("GET", ex), .exactly(.null), why: "it was set with EX 1 more than 1.3 s ago", hint: hint)
                try client.expect(CacheCommand("EXISTS", px, ex), .exactly(.zero), why: "both keys have expired", hint: hint)
                try client.expect(CacheCommand("TTL", px), .exactly(.integer(-2)), why: gone, hint: hint)
                try client.expect(CacheCommand("GET", kept), why: "a key set with EX 1000 is still there")
            }
        },
    ]
}
