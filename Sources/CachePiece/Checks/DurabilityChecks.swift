import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Stage 10: with `DATA_DIR` set, every write the server acknowledged survives a restart
/// and a SIGKILL right after the reply (an append-only log, written before the reply,
/// replayed at start); expiry times are absolute, so a TTL goes on counting down while the
/// server is down; a last record cut short by a crash is ignored, not fatal.
enum DurabilityChecks {
    /// The log's file name in DATA_DIR (the README fixes it, so the check can cut it short).
    static let logName = "appendonly.aof"

    static let restart: [Check] = [
        Check("restart", "keys, deletes, counters and expiry times survive a restart") { context in
            let model = RedisModel()
            let keys = CheckKeys(context)
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                try client.expect(CacheCommand("SET", keys.key("a"), keys.value("a")))
                try client.expect(CacheCommand("SET", keys.key("gone"), keys.value("gone")))
                try client.expect(CacheCommand("DEL", keys.key("gone")))
                for _ in 0..<3 { try client.expect(CacheCommand("INCR", keys.key("count"))) }
            }
            let times = try await expiringKey(context, model: model, keys: keys)
            _ = try await context.restartServer(signal: SIGTERM)
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                let why = "it was stored before the server was stopped (SIGTERM) and started again with the same DATA_DIR"
                let hint = "append every change to the log before answering, and replay the log when the server starts"
                try client.expect(CacheCommand("GET", keys.key("a")), why: why, hint: hint)
                try client.expect(CacheCommand("GET", keys.key("gone")), why: "it was deleted before the restart: the log must say so too", hint: hint)
                try client.expect(CacheCommand("GET", keys.key("count")), why: "INCR counted to 3 before the restart", hint: hint)
                try client.expect(CacheCommand("PTTL", keys.key("expiring")),
                                  .countdown(totalMS: 1_000_000, unit: .milliseconds, setSent: times.sent, setAnswered: times.answered),
                                  why: "it was set with PX 1000000 before the restart; its time went on counting down",
                                  hint: "log the expiry as an absolute time (Unix milliseconds), never as the time left")
            }
        },
    ]

    /// Sets `expiring` with PX 1000000 and returns when the SET was sent and answered.
    static func expiringKey(_ context: CheckContext, model: RedisModel, keys: CheckKeys) async throws -> (sent: Date, answered: Date) {
        let times = TimeBox()
        try await CacheCheck.run(context, model: model) { cache in
            let client = try cache.connect()
            let sent = Date()
            try client.expect(CacheCommand("SET", keys.key("expiring"), keys.value("expiring"), "PX", "1000000"))
            times.set(sent, Date())
        }
        return times.value
    }

    static let crash: [Check] = [
        Check("crash", "a write answered just before a SIGKILL is there after the restart") { context in
            let model = RedisModel()
            let keys = CheckKeys(context)
            let why = "it was answered before the server was killed (SIGKILL) and started again with the same DATA_DIR"
            let hint = "write the record to the log (and fsync it) before you answer: a buffer flushed later, or a goroutine that writes it, is lost with the process"
            let steps: [(write: CacheCommand, read: CacheCommand)] = [
                (CacheCommand("SET", keys.key("first"), keys.value("first")), CacheCommand("GET", keys.key("first"))),
                (CacheCommand("INCR", keys.key("count")), CacheCommand("GET", keys.key("count"))),
                (CacheCommand("SET", keys.key("second"), keys.value("second"), "PX", "1000000"), CacheCommand("GET", keys.key("second"))),
                (CacheCommand("DEL", keys.key("first")), CacheCommand("GET", keys.key("first"))),
            ]
            for step in steps {
                try await CacheCheck.run(context, model: model) { cache in
                    try cache.connect().expect(step.write)
                }
                _ = try await context.restartServer(signal: SIGKILL)
                try await CacheCheck.run(context, model: model) { cache in
                    try cache.connect().expect(step.read, why: "`\(step.write.readable)` " + why, hint: hint)
                }
            }
        },
    ]

    static let expiry: [Check] = [
        Check("expiry-survives", "expiry times are absolute: a key whose time ran out while the server was down is gone") { context in
            let model = RedisModel()
            let keys = CheckKeys(context)
            let short = keys.key("short")
            let shortAnswered = TimeBox()
            try await CacheCheck.run(context, model: model) { cache in
                try cache.connect().expect(CacheCommand("SET", short, keys.value("short"), "PX", "1500"))
                shortAnswered.set(Date(), Date())
            }
            let times = try await expiringKey(context, model: model, keys: keys)
            try await killServer(context)
            // Down for longer than the short key had left.
            let upAgain = shortAnswered.value.answered.addingTimeInterval(2.0)
            let wait = upAgain.timeIntervalSinceNow
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
            _ = try await context.restartServer(signal: SIGKILL)
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                let hint = "log the expiry as an absolute time (Unix milliseconds, as Redis's SET … PXAT does) and, replaying, skip keys whose time has passed"
                try client.expect(CacheCommand("GET", short), .exactly(.null),
                                  why: "it was set with PX 1500, the server was killed, and it started again 2 s later: the key's time ran out while it was down",
                                  hint: hint)
                try client.expect(CacheCommand("PTTL", keys.key("expiring")),
                                  .countdown(totalMS: 1_000_000, unit: .milliseconds, setSent: times.sent, setAnswered: times.answered),
                                  why: "it was set with PX 1000000 before the server was down for 2 s", hint: hint)
            }
        },
    ]

    static let torn: [Check] = [
        Check("torn-record", "a last log record cut short by a crash is ignored, and the log goes on") { context in
            guard let folder = context.variables["DATA_DIR"] else {
                throw CheckSetupError("the cache exercise's durability stage needs DATA_DIR among its variables (environment in exercise.yaml)")
            }
            let path = URL(fileURLWithPath: folder).appendingPathComponent(logName).path
            let model = RedisModel()
            let keys = CheckKeys(context)
            let kept = keys.key("kept"), torn = keys.key("torn"), after = keys.key("after")
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                try client.expect(CacheCommand("SET", kept, keys.value("kept", length: 64)))
                try client.expect(CacheCommand("SET", torn, keys.value("torn", length: 64)))
            }
            try await killServer(context)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            guard let size, size > cut else {
                throw CheckFailure("after two SETs of 64-byte values, \(logName) in DATA_DIR \(size.map { "holds \($0) bytes" } ?? "does not exist")",
                                   sent: "SET \(kept) <64 bytes>, SET \(torn) <64 bytes>, then SIGKILL",
                                   expected: "the log at $DATA_DIR/\(logName), a record per write",
                                   hint: "append each write to the file DATA_DIR/\(logName) (create DATA_DIR if it does not exist)")
            }
            guard truncate(path, off_t(size - cut)) == 0 else {
                throw CheckSetupError("could not cut \(path) short: \(String(cString: strerror(errno)))")
            }
            _ = try await context.restartServer(signal: SIGKILL)
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                let what = "the server was killed after two SETs, the last \(cut) bytes of \(logName) were cut off (as a crash in the middle of a write leaves it), and it started again"
                let hint = "replaying, stop at a record the file ends in the middle of: forget it and cut it off the file (os.File.Truncate) before appending again"
                try client.expect(CacheCommand("GET", kept), why: "\(what); this key's record is whole", hint: hint)
                try client.expect(CacheCommand("GET", torn), .exactly(.null),
                                  why: "\(what); this key's record is the one cut short, a write that never completed", hint: hint)
                try client.expect(CacheCommand("SET", after, keys.value("after")))
            }
            _ = try await context.restartServer(signal: SIGKILL)
            try await CacheCheck.run(context, model: model) { cache in
                let client = try cache.connect()
                let hint = "cut the torn record off the file at start: a record appended after its broken bytes cannot be read back"
                try client.expect(CacheCommand("GET", after), why: "it was written after the restart that found the torn record, then the server was killed", hint: hint)
                try client.expect(CacheCommand("GET", kept), why: "its record came before the torn one", hint: hint)
            }
        },
    ]

    /// Bytes cut off the end of the log: inside the last record, whose value alone is 64.
    static let cut = 32

    /// SIGKILL to the server, and wait until it is gone (the check then changes its files).
    static func killServer(_ context: CheckContext) async throws {
        let program = try await context.serverProgram()
        program.signalProgram(SIGKILL)
        if await program.waitForExit(seconds: 10) == nil {
            throw CheckSetupError("the server did not end within 10 s of SIGKILL")
        }
    }
}
