import Foundation

/// What one connection knows about itself (HELLO, CLIENT).
struct CacheClient {
    let id: Int
    var name: [UInt8]?
    /// Replies in RESP3 (after HELLO 3).
    var resp3 = false
    /// Set by QUIT: the connection closes once the reply is written.
    var closing = false
}

/// Everything the connections share: the store and the counters INFO reports.
struct CacheState {
    var store: CacheStore
    var connectionsReceived = 0
    var connectedClients = 0
    var commandsProcessed = 0
    let started = Date()
    let port: Int
}

/// The commands, each answering exactly what redis-server 7.0 answers, errors included
/// (arity, syntax, integers, expire times, unknown commands and subcommands). Names are
/// case-insensitive; error texts name the command in lower case, as redis-server does.
enum CacheCommands {
    typealias Arguments = [[UInt8]]

    /// Arity as redis-server declares it: n exactly, or at least |n| when negative.
    static let arity: [String: Int] = [
        "ping": -1, "echo": 2, "set": -3, "setex": 4, "psetex": 4, "get": 2, "del": -2, "unlink": -2, "exists": -2, "expire": -3, "pexpire": -3,
        "ttl": 2, "pttl": 2, "incr": 2, "decr": 2, "incrby": 3, "decrby": 3, "dbsize": 1, "flushall": -1,
        "info": -1, "quit": -1, "hello": -1, "client": -2, "command": -1, "select": 2,
    ]

    /// Every known name, lower case, with its arity, by its bytes packed into an integer:
    /// finding a command allocates nothing (no String of the name, no lowercasing), which
    /// showed under redis-benchmark, where the name is all a command is besides its key.
    static let names: [UInt64: (String, Int)] = Dictionary(uniqueKeysWithValues: arity.map { name, arity in
        (pack(Array(name.utf8))!, (name, arity))
    })

    /// Up to 8 bytes, letters lower-cased, as one integer; nil for a longer name or one with
    /// a byte no command name has (so "GET\0" is not "get").
    @inline(__always)
    static func pack(_ bytes: [UInt8]) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
        var packed: UInt64 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): packed = packed << 8 | UInt64(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): packed = packed << 8 | UInt64(byte | 0x20)
            default: return nil
            }
        }
        return packed
    }

    /// The lower-case name and arity of the command `raw` names, if it is one.
    @inline(__always)
    static func known(_ raw: [UInt8]) -> (String, Int)? {
        guard let packed = pack(raw) else { return nil }
        return names[packed]
    }

    /// Runs one command at `now` (milliseconds since 1970): the caller takes one time for the
    /// commands of one read, as redis-server does for a pipeline, so `SET k v PX 100` and
    /// `PTTL k` sent together answer 100.
    static func execute(_ arguments: Arguments, client: inout CacheClient, state: inout CacheState,
                        now: Int64 = CacheStore.now()) -> RESPReply {
        guard let (name, arity) = known(arguments[0]) else { return unknownCommand(arguments) }
        if (arity > 0 && arguments.count != arity) || arguments.count < -arity {
            return wrongArguments(name)
        }
        state.commandsProcessed += 1
        switch name {
        case "ping":
            if arguments.count > 2 { return wrongArguments(name) }
            return arguments.count == 2 ? .bulk(arguments[1]) : .simple("PONG")
        case "echo":
            return .bulk(arguments[1])
        case "get":
            return state.store.lookup(arguments[1], now: now, counted: true).map { .bulk($0.value) } ?? .null
        case "set":
            return set(arguments, state: &state, now: now)
        case "setex", "psetex":
            return setWithExpiry(arguments, name: name, state: &state, now: now)
        case "del", "unlink":
            var removed = 0
            for key in arguments.dropFirst() where state.store.live(key, now: now) != nil {
                state.store.remove(key)
                removed += 1
            }
            return .integer(Int64(removed))
        case "exists":
            let found = arguments.dropFirst().filter { state.store.lookup($0, now: now, counted: true) != nil }.count
            return .integer(Int64(found))
        case "expire", "pexpire":
            return expire(arguments, name: name, milliseconds: name == "pexpire", state: &state, now: now)
        case "ttl", "pttl":
            guard let entry = state.store.lookup(arguments[1], now: now, counted: true) else { return .integer(-2) }
            guard let at = entry.expiresAt else { return .integer(-1) }
            let left = max(0, at - now)
            return .integer(name == "pttl" ? left : (left + 500) / 1000)
        case "incr":
            return increment(arguments[1], by: 1, state: &state, now: now)
        case "decr":
            return increment(arguments[1], by: -1, state: &state, now: now)
        case "incrby", "decrby":
            guard let amount = RedisInteger.parse(arguments[2]) else { return notAnInteger }
            if name == "decrby" {
                if amount == Int64.min { return .error("ERR decrement would overflow") }
                return increment(arguments[1], by: -amount, state: &state, now: now)
            }
            return increment(arguments[1], by: amount, state: &state, now: now)
        case "dbsize":
            return .integer(Int64(state.store.count))
        case "flushall":
            if arguments.count > 2 { return syntaxError }
            if arguments.count == 2 {
                let mode = String(decoding: arguments[1], as: UTF8.self).lowercased()
                guard mode == "sync" || mode == "async" else { return syntaxError }
            }
            state.store.removeAll()
            return .ok
        case "info":
            return .verbatim(info(arguments.count > 1 ? String(decoding: arguments[1], as: UTF8.self).lowercased() : "default", state: &state, now: now))
        case "quit":
            client.closing = true
            return .ok
        case "hello":
            return hello(arguments, client: &client)
        case "client":
            return clientCommand(arguments, client: &client)
        case "command":
            return command(arguments)
        case "select":
            guard let index = RedisInteger.parse(arguments[1]) else { return notAnInteger }
            guard Int32(exactly: index) != nil else {
                return .error("ERR value is out of range, value must between -2147483648 and 2147483647")
            }
            return index == 0 ? .ok : .error("ERR DB index is out of range")
        default:
            return unknownCommand(arguments)
        }
    }

    static let notAnInteger = RESPReply.error("ERR value is not an integer or out of range")
    static let syntaxError = RESPReply.error("ERR syntax error")

    static func wrongArguments(_ name: String) -> RESPReply {
        .error("ERR wrong number of arguments for '\(name)' command")
    }

    /// `unknown command 'NAME', with args beginning with: 'a' 'b' `: the name as sent (128
    /// bytes at most), then arguments while the list is under 128 bytes, each cut to fit.
    static func unknownCommand(_ arguments: Arguments) -> RESPReply {
        var list: [UInt8] = []
        for argument in arguments.dropFirst() {
            if list.count >= 128 { break }
            list += Array("'".utf8) + cString(argument).prefix(128 - list.count) + Array("' ".utf8)
        }
        let name = String(decoding: cString(arguments[0]).prefix(128), as: UTF8.self)
        return .error("ERR unknown command '\(name)', with args beginning with: " + String(decoding: list, as: UTF8.self))
    }

    /// What C's %s prints of the bytes: up to the first NUL.
    static func cString(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.firstIndex(of: 0).map { bytes[..<$0] } ?? bytes[...]
    }

    private struct SetOptions: OptionSet {
        let rawValue: Int
        static let nx = SetOptions(rawValue: 1)
        static let xx = SetOptions(rawValue: 2)
        static let get = SetOptions(rawValue: 4)
        static let keepTTL = SetOptions(rawValue: 8)
        static let ex = SetOptions(rawValue: 16)
        static let px = SetOptions(rawValue: 32)
        static let exat = SetOptions(rawValue: 64)
        static let pxat = SetOptions(rawValue: 128)
        static let anyExpiry: SetOptions = [.ex, .px, .exat, .pxat]
    }

    /// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL], options in any order,
    /// parsed as redis-server parses them (the same expiry option twice: the last wins).
    static func set(_ arguments: Arguments, state: inout CacheState, now: Int64) -> RESPReply {
        var options: SetOptions = []
        var expireArgument: [UInt8]?
        var index = 3
        while index < arguments.count {
            let option = String(decoding: arguments[index], as: UTF8.self).lowercased()
            let hasNext = index + 1 < arguments.count
            func takes(_ flag: SetOptions) -> Bool {
                options.subtracting(flag).isDisjoint(with: SetOptions.anyExpiry.union(.keepTTL)) && hasNext
            }
            switch option {
            case "nx" where !options.contains(.xx): options.insert(.nx)
            case "xx" where !options.contains(.nx): options.insert(.xx)
            case "get": options.insert(.get)
            case "keepttl" where options.isDisjoint(with: .anyExpiry): options.insert(.keepTTL)
            case "ex" where takes(.ex), "px" where takes(.px), "exat" where takes(.exat), "pxat" where takes(.pxat):
                options.insert(["ex": .ex, "px": .px, "exat": .exat, "pxat": .pxat][option]!)
                expireArgument = arguments[index + 1]
                index += 1
            default:
                return syntaxError
            }
            index += 1
        }
        var expiresAt: Int64?
        if let expireArgument {
            guard var milliseconds = RedisInteger.parse(expireArgument) else { return notAnInteger }
            let seconds = !options.isDisjoint(with: [.ex, .exat])
            if milliseconds <= 0 || (seconds && milliseconds > Int64.max / 1000) { return invalidExpire("set") }
            if seconds { milliseconds *= 1000 }
            if !options.isDisjoint(with: [.ex, .px]) {
                let (sum, overflow) = milliseconds.addingReportingOverflow(now)
                if overflow { return invalidExpire("set") }
                milliseconds = sum
            }
            expiresAt = milliseconds
        }
        let key = arguments[1]
        var reply = RESPReply.ok
        if options.contains(.get) {
            reply = state.store.lookup(key, now: now, counted: true).map { .bulk($0.value) } ?? .null
        }
        // Only NX and XX ask whether the key exists (a lookup saved on every plain SET).
        let found = options.isDisjoint(with: [.nx, .xx]) ? false : state.store.live(key, now: now) != nil
        if (options.contains(.nx) && found) || (options.contains(.xx) && !found) {
            return options.contains(.get) ? reply : .null
        }
        state.store.set(key, arguments[2], expiresAt: expiresAt, keepExpiry: options.contains(.keepTTL), now: now)
        if let expiresAt, expiresAt <= now {
            // EXAT/PXAT in the past: set, then gone at once, as redis-server does.
            state.store.remove(key)
            state.store.statistics.expired += 1
        }
        return reply
    }

    /// SETEX key seconds value, PSETEX key milliseconds value: SET with EX or PX, checked as
    /// redis-server checks them (the time first, then whether it is positive).
    static func setWithExpiry(_ arguments: Arguments, name: String, state: inout CacheState, now: Int64) -> RESPReply {
        guard var milliseconds = RedisInteger.parse(arguments[2]) else { return notAnInteger }
        let seconds = name == "setex"
        if milliseconds <= 0 || (seconds && milliseconds > Int64.max / 1000) { return invalidExpire(name) }
        if seconds { milliseconds *= 1000 }
        let (expiresAt, overflow) = milliseconds.addingReportingOverflow(now)
        if overflow { return invalidExpire(name) }
        state.store.set(arguments[1], arguments[3], expiresAt: expiresAt, now: now)
        return .ok
    }

    static func invalidExpire(_ command: String) -> RESPReply {
        .error("ERR invalid expire time in '\(command)' command")
    }

    /// EXPIRE/PEXPIRE key time [NX|XX|GT|LT]: a time not in the future deletes the key.
    static func expire(_ arguments: Arguments, name: String, milliseconds: Bool, state: inout CacheState, now: Int64) -> RESPReply {
        var nx = false, xx = false, gt = false, lt = false
        for option in arguments.dropFirst(3) {
            switch String(decoding: option, as: UTF8.self).lowercased() {
            case "nx": nx = true
            case "xx": xx = true
            case "gt": gt = true
            case "lt": lt = true
            default: return .error("ERR Unsupported option " + String(decoding: cString(option), as: UTF8.self))
            }
        }
        if nx && (xx || gt || lt) { return .error("ERR NX and XX, GT or LT options at the same time are not compatible") }
        if gt && lt { return .error("ERR GT and LT options at the same time are not compatible") }
        guard var when = RedisInteger.parse(arguments[2]) else { return notAnInteger }
        if !milliseconds {
            if when > Int64.max / 1000 || when < Int64.min / 1000 { return invalidExpire(name) }
            when *= 1000
        }
        if when > Int64.max - now { return invalidExpire(name) }
        when += now
        let key = arguments[1]
        guard let entry = state.store.live(key, now: now) else { return .zero }
        let current = entry.expiresAt
        if nx && current != nil { return .zero }
        if xx && current == nil { return .zero }
        if gt, current == nil || when <= current! { return .zero }
        if lt, let current, when >= current { return .zero }
        if when <= now {
            state.store.remove(key)
            return .one
        }
        state.store.setExpiry(key, when)
        return .one
    }

    /// INCR/DECR/INCRBY/DECRBY: a missing key counts as 0; the expiry is kept.
    static func increment(_ key: [UInt8], by amount: Int64, state: inout CacheState, now: Int64) -> RESPReply {
        let entry = state.store.live(key, now: now)
        var value: Int64 = 0
        if let entry {
            guard let parsed = RedisInteger.parse(entry.value) else { return notAnInteger }
            value = parsed
        }
        if (amount < 0 && value < 0 && amount < Int64.min - value) || (amount > 0 && value > 0 && amount > Int64.max - value) {
            return .error("ERR increment or decrement would overflow")
        }
        value += amount
        state.store.set(key, Array(String(value).utf8), expiresAt: entry?.expiresAt, now: now)
        return .integer(value)
    }

    /// HELLO [2|3 [AUTH user pass] [SETNAME name]]: switches the connection to RESP2 or RESP3.
    static func hello(_ arguments: Arguments, client: inout CacheClient) -> RESPReply {
        var index = 1
        var version: Int64?
        if arguments.count > 1 {
            guard let asked = RedisInteger.parse(arguments[1]) else {
                return .error("ERR Protocol version is not an integer or out of range")
            }
            guard asked == 2 || asked == 3 else { return .error("NOPROTO unsupported protocol version") }
            version = asked
            index = 2
        }
        var name: [UInt8]?
        while index < arguments.count {
            let option = String(decoding: arguments[index], as: UTF8.self).lowercased()
            let more = arguments.count - index - 1
            if option == "auth", more >= 2 {
                return .error("WRONGPASS invalid username-password pair or user is disabled.")
            } else if option == "setname", more >= 1 {
                guard validName(arguments[index + 1]) else {
                    return .error("ERR Client names cannot contain spaces, newlines or special characters.")
                }
                name = arguments[index + 1]
                index += 2
            } else {
                return .error("ERR Syntax error in HELLO option '" + String(decoding: cString(arguments[index]), as: UTF8.self) + "'")
            }
        }
        if let name { client.name = name.isEmpty ? nil : name }
        if let version { client.resp3 = version == 3 }
        return .map([.bulk("server"), .bulk("redis"), .bulk("version"), .bulk("7.0.15"), .bulk("proto"), .integer(client.resp3 ? 3 : 2),
                       .bulk("id"), .integer(Int64(client.id)), .bulk("mode"), .bulk("standalone"), .bulk("role"), .bulk("master"),
                       .bulk("modules"), .array([])])
    }

    static func validName(_ name: [UInt8]) -> Bool {
        name.allSatisfy { $0 >= UInt8(ascii: "!") && $0 <= UInt8(ascii: "~") }
    }

    static func clientCommand(_ arguments: Arguments, client: inout CacheClient) -> RESPReply {
        let sub = String(decoding: arguments[1], as: UTF8.self).lowercased()
        switch (sub, arguments.count) {
        case ("setname", 3):
            guard validName(arguments[2]) else { return .error("ERR Client names cannot contain spaces, newlines or special characters.") }
            client.name = arguments[2].isEmpty ? nil : arguments[2]
            return .ok
        case ("getname", 2):
            return client.name.map { .bulk($0) } ?? .null
        case ("id", 2):
            return .integer(Int64(client.id))
        case ("setname", _), ("getname", _), ("id", _):
            return wrongArguments("client|\(sub)")
        default:
            return unknownSubcommand(arguments[1], of: "CLIENT")
        }
    }

    static func unknownSubcommand(_ sub: [UInt8], of command: String) -> RESPReply {
        .error("ERR unknown subcommand '\(String(decoding: cString(sub).prefix(128), as: UTF8.self))'. Try \(command) HELP.")
    }

    /// COMMAND, COMMAND COUNT, COMMAND DOCS: enough for redis-cli, which asks for the docs
    /// to show hints and works without them.
    static func command(_ arguments: Arguments) -> RESPReply {
        guard arguments.count > 1 else { return .array([]) }
        switch String(decoding: arguments[1], as: UTF8.self).lowercased() {
        case "count": return .integer(Int64(arity.count))
        case "docs": return .map([])
        case "info", "list": return .array([])
        default: return unknownSubcommand(arguments[1], of: "COMMAND")
        }
    }

    /// INFO [section]: the sections checks and tools read, in redis-server's layout
    /// (`# Name` then `field:value` lines, a blank line between sections).
    static func info(_ section: String, state: inout CacheState, now: Int64) -> String {
        let stats = state.store.statistics
        var sections: [(String, [String])] = [
            ("server", ["redis_version:7.0.15", "redis_mode:standalone", "tcp_port:\(state.port)",
                        "uptime_in_seconds:\(Int(Date().timeIntervalSince(state.started)))"]),
            ("clients", ["connected_clients:\(state.connectedClients)"]),
            ("stats", ["total_connections_received:\(state.connectionsReceived)", "total_commands_processed:\(state.commandsProcessed)",
                       "expired_keys:\(stats.expired)", "evicted_keys:\(stats.evicted)",
                       "keyspace_hits:\(stats.hits)", "keyspace_misses:\(stats.misses)"]),
            ("keyspace", state.store.count == 0 ? [] : ["db0:keys=\(state.store.count),expires=\(state.store.withExpiry),avg_ttl=0"]),
        ]
        if !["default", "all", "everything"].contains(section) {
            sections = sections.filter { $0.0 == section }
        }
        return sections.map { name, lines in
            "# \(name.prefix(1).uppercased() + name.dropFirst())\r\n" + lines.map { $0 + "\r\n" }.joined()
        }.joined(separator: "\r\n")
    }
}
