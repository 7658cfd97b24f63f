import Foundation
import Grading

/// Stages 3 and 4: ECHO (bulk strings, binary-safe) and SET/GET with NX and XX.
enum StringChecks {
    static let echo: [Check] = [
        Check("echo", "ECHO answers its argument as a bulk string") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let hint = "answer a bulk string: $, the length in bytes, \\r\\n, the bytes, \\r\\n ($5\\r\\nhello\\r\\n)"
                try client.expect(CacheCommand("ECHO", cache.keys.value("word")), hint: hint)
                try client.expect(CacheCommand("ECHO", "\(cache.keys.value("a")) \(cache.keys.value("b")) \(cache.keys.value("c"))"), hint: hint)
                try client.expect(CacheCommand("ECHO", ""), why: "an empty string is $0\\r\\n\\r\\n", hint: hint)
            }
        },
        Check("binary", "ECHO is binary-safe: \\r\\n, NUL, UTF-8 and long arguments come back exactly") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let hint = "read a bulk string by its length (io.ReadFull of length+2 bytes), never up to the next line end: the bytes may hold \\r\\n"
                try client.expect(CacheCommand("ECHO", "two\r\nlines"), hint: hint)
                try client.expect(CacheCommand(arguments: [Array("ECHO".utf8), [0x6e, 0x75, 0x6c, 0x00, 0x6c, 0x00]]), hint: hint)
                try client.expect(CacheCommand("ECHO", "héllo wörld ✓"), why: "the length of a bulk string counts bytes, not characters", hint: hint)
                try client.expect(CacheCommand("ECHO", cache.keys.value("long", length: 3000)), hint: hint)
                try client.expect(CacheCommand("ECHO", "\r\n"), hint: hint)
            }
        },
    ]

    static let setGet: [Check] = [
        Check("set-get", "SET stores, GET reads, a second SET replaces") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let key = cache.keys.key("colour"), other = cache.keys.key("spaced key")
                try client.expect(CacheCommand("SET", key, cache.keys.value("first")), hint: "SET answers the simple string +OK\\r\\n")
                try client.expect(CacheCommand("GET", key), hint: "GET answers the value as a bulk string")
                try client.expect(CacheCommand("SET", key, cache.keys.value("second")))
                try client.expect(CacheCommand("GET", key), why: "the second SET replaced the value")
                try client.expect(CacheCommand("SET", other, "a value\r\nover two lines"))
                try client.expect(CacheCommand("GET", other), why: "keys and values are any bytes")
                try cache.connect("a second client").expect(CacheCommand("GET", key), why: "every client sees the same keys")
            }
        },
        Check("missing", "GET of a key that was never set answers nil ($-1)") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                try client.expect(CacheCommand("GET", cache.keys.key("never-set")),
                                  hint: "a missing key is the null bulk string $-1\\r\\n (redis-cli prints (nil)); $0\\r\\n\\r\\n is an empty string, which is a value")
                try client.expect(CacheCommand("SET", cache.keys.key("empty"), ""))
                try client.expect(CacheCommand("GET", cache.keys.key("empty")), why: "an empty value is there: $0\\r\\n\\r\\n, not nil")
            }
        },
        Check("nx-xx", "SET … NX sets only a new key, SET … XX only an existing one") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let key = cache.keys.key("nx"), absent = cache.keys.key("xx")
                let hint = "when NX or XX stops a SET, answer nil ($-1\\r\\n) and leave the key as it was"
                try client.expect(CacheCommand("SET", key, cache.keys.value("first"), "NX"), why: "NX on a new key sets it")
                try client.expect(CacheCommand("SET", key, cache.keys.value("second"), "NX"), why: "NX on an existing key does nothing", hint: hint)
                try client.expect(CacheCommand("GET", key), why: "the SET with NX did not replace the value", hint: hint)
                try client.expect(CacheCommand("SET", absent, cache.keys.value("third"), "XX"), why: "XX on a missing key does nothing", hint: hint)
                try client.expect(CacheCommand("GET", absent), why: "the SET with XX did not create the key", hint: hint)
                try client.expect(CacheCommand("SET", key, cache.keys.value("fourth"), "xx"), why: "XX on an existing key replaces it (options in any letter case)")
                try client.expect(CacheCommand("GET", key))
            }
        },
    ]
}
