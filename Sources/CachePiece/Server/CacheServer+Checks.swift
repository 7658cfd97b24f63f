import Foundation
import Grading
import NIOCore

/// What checks can read from and do to the reference cache when it is a companion service
/// (cache-aside): the commands a program sent, the keys and their expiry, taking the cache
/// down and bringing it back, and holding back the reply to one write so a check can put a
/// read inside a program's update without relying on timing.
extension CacheServer {
    /// The commands since the last reset, by lower-case name, and how many answered an error.
    public var commands: CommandRecording { shared.locked { $0.recording ?? CommandRecording() } }

    /// Every live key with its remaining time to live in milliseconds (nil: no expiry).
    public func keys() -> [CachedKey] {
        let now = CacheStore.now()
        return shared.locked { values in
            values.state.store.entries.compactMap { key, entry in
                if let at = entry.expiresAt, at <= now { return nil }
                return CachedKey(key: key.bytes, value: entry.value, millisecondsLeft: entry.expiresAt.map { $0 - now })
            }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
    }

    /// Whether the cache is down (`goDown`) or listening.
    public var isDown: Bool { shared.locked { $0.listener == nil } }

    /// Takes the cache down as a crash or a network failure would look to a client: the
    /// listening socket closes (new connections are refused) and every open connection is
    /// closed. The keys are forgotten, as a restarted cache without a log forgets them.
    public func goDown() async {
        let (listener, open, release) = shared.locked { values in
            defer {
                values.listener = nil
                values.state.store.removeAll()
            }
            return (values.listener, values.open, values.hold.reset())
        }
        release?()
        try? await listener?.close()
        for child in open { try? await child.close() }
    }

    /// Brings the cache back on the same port after `goDown` (nothing to do when it is up).
    public func comeBack() async throws {
        guard isDown else { return }
        let channel = try await Self.listen(port: port, shared: shared)
        shared.locked { $0.listener = channel }
    }

    /// Arms a hold: the next write to a key (SET, SETEX, PSETEX, DEL, UNLINK, EXPIRE,
    /// PEXPIRE) is carried out at once, but its reply, and every later reply on that
    /// connection, waits until another connection SETs the same key or `seconds` pass. A
    /// check reads `heldWrite` to learn when a write is held and which key it touched.
    public func holdNextWrite(seconds: Double) {
        shared.locked { $0.hold.arm(seconds: seconds) }
    }

    /// Where the armed hold is.
    public var heldWrite: HeldWrite.Phase { shared.locked { $0.hold.phase } }
}

/// A key as checks see it.
public struct CachedKey: Sendable, Equatable {
    public let key: [UInt8]
    public let value: [UInt8]
    /// nil: the key has no expiry.
    public let millisecondsLeft: Int64?

    /// The key as text, escaped where it is not printable.
    public var name: String { EscapedBytes.text(key) }
}

/// Commands counted by name since the last reset.
public struct CommandRecording: Sendable, Equatable {
    public private(set) var byName: [String: Int] = [:]
    public private(set) var errors = 0

    public init() {}

    public func count(of names: String...) -> Int { names.reduce(0) { $0 + (byName[$1] ?? 0) } }
    public var total: Int { byName.values.reduce(0, +) }

    mutating func count(_ arguments: [[UInt8]], reply: RESPReply) {
        byName[String(decoding: arguments[0].prefix(32), as: UTF8.self).lowercased(), default: 0] += 1
        if reply.isError { errors += 1 }
    }

    /// "3 GET, 1 SET" (most frequent first), or "no command".
    public var summary: String {
        guard !byName.isEmpty else { return "no command" }
        return byName.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key.uppercased())" }.joined(separator: ", ")
    }
}

/// The state of one held write (`CacheServer.holdNextWrite`).
public struct HeldWrite: Sendable {
    public enum Phase: Sendable, Equatable {
        /// No hold asked for.
        case idle
        /// Waiting for the next write.
        case armed
        /// The write `command` to `key` is done and its reply held.
        case holding(key: [UInt8], command: String)
        /// The reply went out: because another connection SET the key (`repopulated`), or
        /// the time ran out.
        case released(key: [UInt8], command: String, repopulated: Bool)
    }

    public private(set) var phase = Phase.idle
    private(set) var seconds = 0.0
    private var holder: Int?
    private var resume: (@Sendable () -> Void)?

    static let writes: Set<String> = ["set", "setex", "psetex", "del", "unlink", "expire", "pexpire"]
    static let sets: Set<String> = ["set", "setex", "psetex"]

    /// True while commands must be looked at (armed or holding).
    var active: Bool {
        switch phase {
        case .armed, .holding: return true
        case .idle, .released: return false
        }
    }

    mutating func arm(seconds: Double) {
        phase = .armed
        self.seconds = seconds
        holder = nil
        resume = nil
    }

    /// Looks at a command client `client` ran. Returns whether its reply is to be held (the
    /// connection then waits for `resume`) and a resume to call for a held write this
    /// command released.
    mutating func consider(_ arguments: [[UInt8]], reply: RESPReply, client: Int,
                           resume makeResume: () -> @Sendable () -> Void) -> (hold: Bool, release: (@Sendable () -> Void)?) {
        guard arguments.count > 1, !reply.isError else { return (false, nil) }
        let name = String(decoding: arguments[0].prefix(8), as: UTF8.self).lowercased()
        switch phase {
        case .armed where Self.writes.contains(name):
            phase = .holding(key: arguments[1], command: name.uppercased())
            holder = client
            resume = makeResume()
            return (true, nil)
        case .holding(let key, let command) where client != holder && Self.sets.contains(name) && arguments[1] == key:
            phase = .released(key: key, command: command, repopulated: true)
            defer { resume = nil }
            return (false, resume)
        default:
            return (false, nil)
        }
    }

    /// The hold's time ran out: the resume to call, if it still holds.
    mutating func timedOut() -> (@Sendable () -> Void)? {
        guard case .holding(let key, let command) = phase else { return nil }
        phase = .released(key: key, command: command, repopulated: false)
        defer { resume = nil }
        return resume
    }

    /// Back to idle; the resume to call if a reply was held.
    mutating func reset() -> (@Sendable () -> Void)? {
        defer {
            phase = .idle
            resume = nil
            holder = nil
        }
        if case .holding = phase { return resume }
        return nil
    }
}
