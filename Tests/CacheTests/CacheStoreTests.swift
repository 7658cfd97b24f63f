@testable import CachePiece
import Testing

/// The store under the commands: least-recently-used eviction with a key bound, expiry by
/// lookup and by sweep, and the statistics INFO reports.
@Suite struct CacheStoreTests {
    static func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func theLeastRecentlyUsedKeyIsEvicted() {
        var store = CacheStore(maximumKeys: 3)
        for name in ["a", "b", "c"] { store.set(Self.key(name), [1], expiresAt: nil, now: 0) }
        _ = store.lookup(Self.key("a"), now: 0, counted: true)   // a is now the most recent
        store.set(Self.key("d"), [1], expiresAt: nil, now: 0)
        #expect(store.live(Self.key("b"), now: 0) == nil, "b, the least recently used, goes")
        #expect(["a", "c", "d"].allSatisfy { store.live(Self.key($0), now: 0) != nil })
        store.set(Self.key("a"), [2], expiresAt: nil, now: 0)     // overwriting evicts nothing
        #expect(store.count == 3 && store.statistics.evicted == 1)
        store.set(Self.key("e"), [1], expiresAt: nil, now: 0)
        #expect(store.live(Self.key("c"), now: 0) == nil, "then c")
    }

    @Test func expiredKeysGoOnLookupAndBySweep() {
        var store = CacheStore()
        store.set(Self.key("short"), [1], expiresAt: 100, now: 0)
        store.set(Self.key("long"), [1], expiresAt: 10_000, now: 0)
        store.set(Self.key("forever"), [1], expiresAt: nil, now: 0)
        #expect(store.lookup(Self.key("short"), now: 99, counted: true) != nil)
        #expect(store.lookup(Self.key("short"), now: 100, counted: true) == nil, "gone at its expiry time")
        #expect(store.statistics == CacheStatistics(hits: 1, misses: 1, expired: 1, evicted: 0))
        #expect(store.sweepExpired(now: 20_000) == 1 && store.count == 1)
        #expect(store.sweepExpired(now: 30_000) == 0)
        store.set(Self.key("again"), [1], expiresAt: 40_000, now: 30_000)
        #expect(store.sweepExpired(now: 50_000) == 1, "a new expiry is swept after a sweep found none")
    }
}
