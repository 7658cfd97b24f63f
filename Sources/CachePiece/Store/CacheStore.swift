import Foundation

/// The cache's keys: byte-string keys and values, each with an optional expiry time
/// (absolute, milliseconds since 1970, as redis-server keeps it), statistics as INFO reports
/// them, and an optional bound on the number of keys with least-recently-used eviction.
/// Expired keys are removed when touched and by `sweepExpired` (the server calls it ten times
/// a second, as redis-server's active expiry does). Not thread-safe: the server holds a lock.
struct CacheStore {
    struct Entry {
        var value: [UInt8]
        var expiresAt: Int64?
    }

    typealias Statistics = CacheStatistics

    private(set) var entries: [CacheKey: Entry] = [:]
    /// False once a sweep saw every key and none had an expiry: the sweeps then cost nothing
    /// until an expiry is set again.
    private var mayHaveExpiring = false
    private var recency = RecencyList()
    var statistics = Statistics()
    /// Evict the least recently used key when a new key would make more than this many.
    var maximumKeys: Int?
    /// Keys evicted since the append-only log last took them (nil: no log, not kept).
    var evictedKeys: [[UInt8]]?

    init(maximumKeys: Int? = nil) {
        self.maximumKeys = maximumKeys
    }

    var count: Int { entries.count }
    var withExpiry: Int { entries.values.filter { $0.expiresAt != nil }.count }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The live entry for `key` (an expired one is removed first), counted as a hit or a miss
    /// when `counted`, and marked as used.
    mutating func lookup(_ key: [UInt8], now: Int64, counted: Bool) -> Entry? {
        guard let entry = live(key, now: now) else {
            if counted { statistics.misses += 1 }
            return nil
        }
        if counted { statistics.hits += 1 }
        if maximumKeys != nil { recency.touch(key) }
        return entry
    }

    /// The entry without statistics or recency, after removing it if it expired.
    mutating func live(_ key: [UInt8], now: Int64) -> Entry? {
        guard let entry = entries[CacheKey(key)] else { return nil }
        if let at = entry.expiresAt, at <= now {
            remove(key)
            statistics.expired += 1
            return nil
        }
        return entry
    }

    /// Stores a value; `expiresAt` nil makes the key persistent, `keepExpiry` keeps the old one.
    mutating func set(_ key: [UInt8], _ value: [UInt8], expiresAt: Int64?, keepExpiry: Bool = false, now: Int64) {
        var expiry = expiresAt
        if keepExpiry, let old = live(key, now: now) { expiry = old.expiresAt }
        let wrapped = CacheKey(key)
        if expiry != nil { mayHaveExpiring = true }
        guard maximumKeys != nil else {
            // One hash lookup: without a bound nothing is evicted, so no need to ask first.
            // An expired key it replaces counts as expired, as a write's lookup counts it.
            if let old = entries.updateValue(Entry(value: value, expiresAt: expiry), forKey: wrapped),
               let at = old.expiresAt, at <= now {
                statistics.expired += 1
            }
            return
        }
        _ = live(key, now: now)
        if entries[wrapped] == nil { makeRoom() }
        entries[wrapped] = Entry(value: value, expiresAt: expiry)
        recency.touch(key)
    }

    mutating func setExpiry(_ key: [UInt8], _ expiresAt: Int64?) {
        if expiresAt != nil { mayHaveExpiring = true }
        entries[CacheKey(key)]?.expiresAt = expiresAt
    }

    @discardableResult
    mutating func remove(_ key: [UInt8]) -> Bool {
        guard entries.removeValue(forKey: CacheKey(key)) != nil else { return false }
        recency.remove(key)
        return true
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        recency = RecencyList()
    }

    /// Removes up to `limit` expired keys; returns how many.
    @discardableResult
    mutating func sweepExpired(now: Int64, limit: Int = 1000, scanning: Int = 20_000) -> Int {
        guard mayHaveExpiring else { return 0 }
        var gone: [[UInt8]] = []
        var sawExpiry = false
        for (key, entry) in entries.prefix(scanning) {
            guard let at = entry.expiresAt else { continue }
            sawExpiry = true
            if at <= now {
                gone.append(key.bytes)
                if gone.count >= limit { break }
            }
        }
        if !sawExpiry && entries.count <= scanning { mayHaveExpiring = false }
        for key in gone { remove(key) }
        statistics.expired += gone.count
        return gone.count
    }

    private mutating func makeRoom() {
        guard let maximumKeys, maximumKeys > 0 else { return }
        while entries.count >= maximumKeys, let oldest = recency.oldest {
            remove(oldest)
            statistics.evicted += 1
            evictedKeys?.append(oldest)
        }
    }
}

/// A key: its bytes, hashed in one pass (an array of bytes as a dictionary key feeds the
/// hasher byte by byte, which was the cache's largest cost under redis-benchmark).
struct CacheKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (left: CacheKey, right: CacheKey) -> Bool {
        guard left.bytes.count == right.bytes.count else { return false }
        if left.bytes.isEmpty { return true }
        return left.bytes.withUnsafeBytes { a in
            right.bytes.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }
}

/// What INFO's Stats section reports about the keys.
public struct CacheStatistics: Equatable, Sendable {
    public var hits = 0
    public var misses = 0
    public var expired = 0
    public var evicted = 0
}

/// Keys in order of use, oldest first, with O(1) touch and remove: a doubly linked list
/// threaded through a dictionary.
struct RecencyList {
    private struct Node {
        var previous: [UInt8]?
        var next: [UInt8]?
    }

    private var nodes: [[UInt8]: Node] = [:]
    private(set) var oldest: [UInt8]?
    private var newest: [UInt8]?

    mutating func touch(_ key: [UInt8]) {
        if newest == key { return }
        remove(key)
        nodes[key] = Node(previous: newest, next: nil)
        if let newest { nodes[newest]?.next = key }
        newest = key
        if oldest == nil { oldest = key }
    }

    mutating func remove(_ key: [UInt8]) {
        guard let node = nodes.removeValue(forKey: key) else { return }
        if let previous = node.previous { nodes[previous]?.next = node.next } else { oldest = node.next }
        if let next = node.next { nodes[next]?.previous = node.previous } else { newest = node.previous }
    }
}
