import Foundation
import Grading

/// Stage 6: DEL, EXISTS and INCR, and errors: a wrong command gets an error reply and the
/// connection goes on. INCR from many clients at once must not lose a count (the stage runs
/// the program built with the race detector).
enum KeyChecks {
    static let delExists: [Check] = [
        Check("del-exists", "DEL and EXISTS count the keys that exist") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let a = keys.key("a"), b = keys.key("b"), none = keys.key("none")
                try client.expect(CacheCommand("SET", a, keys.value("a")))
                try client.expect(CacheCommand("SET", b, keys.value("b")))
                try client.expect(CacheCommand("EXISTS", a), why: "the key exists")
                try client.expect(CacheCommand("EXISTS", a, b, none), why: "EXISTS answers how many of the keys exist")
                try client.expect(CacheCommand("EXISTS", a, a), why: "a key named twice counts twice, as in Redis")
                try client.expect(CacheCommand("DEL", a, none), why: "DEL answers how many keys it removed, not how many it was given",
                                  hint: "count only the keys that existed")
                try client.expect(CacheCommand("EXISTS", a), why: "the key was deleted")
                try client.expect(CacheCommand("GET", a), why: "the key was deleted")
                try client.expect(CacheCommand("DEL", a), why: "the key is gone already")
            }
        },
    ]

    static let incrementingClients = 8
    static let incrementsEach = 25

    static let incr: [Check] = [
        Check("incr", "INCR counts from 0, goes on from a stored number, and loses nothing to concurrent clients") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let counter = keys.key("counter"), stored = keys.key("stored"), negative = keys.key("negative")
                let hint = "INCR answers an integer reply, :N\\r\\n; a missing key counts as 0"
                try client.expect(CacheCommand("INCR", counter), why: "a missing key counts as 0", hint: hint)
                try client.expect(CacheCommand("INCR", counter), hint: hint)
                try client.expect(CacheCommand("SET", stored, "41"))
                try client.expect(CacheCommand("INCR", stored), why: "the value was 41", hint: hint)
                try client.expect(CacheCommand("GET", stored), why: "INCR stores the new number as a string")
                try client.expect(CacheCommand("SET", negative, "-5"))
                try client.expect(CacheCommand("INCR", negative), why: "the value was -5")

                let shared = keys.key("shared")
                let total = Int64(incrementingClients * incrementsEach)
                let results = Blocking.allSync(incrementingClients) { index -> Error? in
                    do {
                        let session = try cache.connect("client \(index + 1) of \(incrementingClients)")
                        for _ in 0..<incrementsEach {
                            try session.expect(CacheCommand("INCR", shared), .integer(1...total, meaning: "some count up to \(total)"))
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure = results.compactMap({ $0 }).first { throw failure }
                try client.expect(CacheCommand("GET", shared), .exactly(.bulk(String(total))),
                                  why: "\(incrementingClients) clients at once sent \(incrementsEach) INCRs each",
                                  hint: "read, add and store under one lock: two INCRs that both read 5 both store 6, and a count is lost")
            }
        },
    ]

    static let errors: [Check] = [
        Check("errors", "wrong commands get an error reply (INCR of a non-number, wrong arguments, unknown commands), and the connection goes on") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let text = keys.key("text"), decimal = keys.key("decimal"), other = keys.key("other")
                let hint = "answer an error reply, a line starting with - (-ERR value is not an integer or out of range\\r\\n), and keep the connection open"
                try client.expect(CacheCommand("SET", text, keys.value("text")))
                try client.expect(CacheCommand("INCR", text), why: "the value is not an integer", hint: hint)
                try client.expect(CacheCommand("GET", text), why: "a failed INCR leaves the value as it was")
                try client.expect(CacheCommand("SET", decimal, "1.5"))
                try client.expect(CacheCommand("INCR", decimal), why: "1.5 is not an integer", hint: hint)
                try client.expect(CacheCommand("GET"), why: "GET needs a key", hint: hint)
                try client.expect(CacheCommand("GET", text, other), why: "GET takes one key", hint: hint)
                try client.expect(CacheCommand("SET", other), why: "SET needs a key and a value", hint: hint)
                try client.expect(CacheCommand("SET", other, "v", "EX", "soon"), why: "EX needs a number of seconds", hint: hint)
                try client.expect(CacheCommand("GET", other), why: "a SET that failed stores nothing")
                try client.expect(CacheCommand("NOSUCHCOMMAND", keys.value("word")), why: "the command does not exist", hint: hint)
                try client.expect(CacheCommand("PING"), why: "errors do not end the connection")
            }
        },
    ]
}
