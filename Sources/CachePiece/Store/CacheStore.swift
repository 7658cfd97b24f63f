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

    private(set) var entries: [[UInt8]: Entry] = [:]
    private var recency = RecencyList()
    var statistics = Statistics()
    /// Evict the least recently used key when a new key would make more than this many.
    var maximumKeys: Int?

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
        guard let entry = entries[key] else { return nil }
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
        if entries[key] == nil { makeRoom() }
        entries[key] = Entry(value: value, expiresAt: expiry)
        if maximumKeys != nil { recency.touch(key) }
    }

    mutating func setExpiry(_ key: [UInt8], _ expiresAt: Int64?) {
        entries[key]?.expiresAt = expiresAt
    }

    @discardableResult
    mutating func remove(_ key: [UInt8]) -> Bool {
        guard entries.removeValue(forKey: key) != nil else { return false }
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
        var gone: [[UInt8]] = []
        for (key, entry) in entries.prefix(scanning) {
            if let at = entry.expiresAt, at <= now {
                gone.append(key)
                if gone.count >= limit { break }
            }
        }
        for key in gone { remove(key) }
        statistics.expired += gone.count
        return gone.count
    }

    private mutating func makeRoom() {
        guard let maximumKeys, maximumKeys > 0 else { return }
        while entries.count >= maximumKeys, let oldest = recency.oldest {
            remove(oldest)
            statistics.evicted += 1
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
