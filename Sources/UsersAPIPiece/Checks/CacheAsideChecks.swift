import CachePiece
import Foundation
import Grading

/// `cache-aside`: the users API with the reference cache at `$CACHE_ADDR` in front of its
/// store. The checks read the cache's own record (its hit and miss counts, the commands and
/// keys it got), so they judge what the program did to the cache, whatever its key names or
/// client library; and they make the races of cache-aside happen on purpose (a read held
/// inside an update, a cache that goes down) instead of hoping for them.
enum CacheAsideChecks {
    static let hits: [Check] = [
        Check("reads-hit", "reading a user again is a cache hit") { context in
            var sample = SampleUsers(context)
            let (cache, users, user) = try await warm(context, &sample)
            let before = cache.statistics
            for read in 1...3 {
                try await users.expectUser(user, why: "read \(read) of 3 of a user created just before: the cache must give what the store holds")
            }
            let gained = cache.statistics.hits - before.hits
            let commands = cache.commands
            if commands.count(of: "get") == 0 {
                throw CheckFailure("after GET \(UsersClient.collection)/\(user.id) answered 4 times, the cache at CACHE_ADDR had received no GET (it saw \(commands.summary))",
                                   expected: "reads that ask the cache first: GET <the user's key>, and on a miss read the store and SET the key",
                                   hint: "connect to os.Getenv(\"CACHE_ADDR\") with redigo's redis.Pool, and in the handler of GET \(UsersClient.collection)/{id} try the cache before the store")
            }
            if gained < 2 {
                throw CheckFailure("after the first of 4 reads of user \(user.id), 3 more made \(gained) cache hit\(gained == 1 ? "" : "s") (the cache saw \(commands.summary); \(cache.statistics))",
                                   expected: "at least the last 2 reads answered from the cache (2 or more hits)",
                                   hint: commands.count(of: "set", "setex", "psetex") == 0
                                       ? "after a miss, put the user in the cache: SET <key> <the user's JSON> EX 60"
                                       : "check that the key you SET is the key you GET, and that its TTL is not in the wrong unit (PX takes milliseconds)")
            }
        },
    ]

    static let invalidate: [Check] = [
        Check("update-invalidates", "a read after an update gets the new user") { context in
            var sample = SampleUsers(context)
            let (_, users, user) = try await warm(context, &sample, reads: 2)
            let changed = sample.next()
            let updated = CheckedUser(id: user.id, name: changed.name, email: changed.email)
            try (try await users.updateExchange(String(user.id), body: CheckedUser.body(name: changed.name, email: changed.email)))
                .expectStatus(200, meaning: "the user is updated")
            try await expectFresh(users, updated, old: user, after: "PUT \(UsersClient.collection)/\(user.id) answered 200 with \(updated)")
        },
        Check("delete-invalidates", "a read after a delete gets 404") { context in
            var sample = SampleUsers(context)
            let (_, users, user) = try await warm(context, &sample, reads: 2)
            try (try await users.deleteExchange(String(user.id))).expectStatus(204, meaning: "the user is deleted")
            let exchange = try await users.getExchange(String(user.id))
            if exchange.response.status == 200 {
                throw exchange.failure("after DELETE \(UsersClient.collection)/\(user.id) answered 204, the deleted user is still served (from the cache)",
                                       expected: "404: the user was deleted",
                                       hint: "after deleting from the store, delete the user's key in the cache (DEL <key>)")
            }
            try exchange.expectStatus(404, meaning: "the user was deleted")
        },
        Check("create-after-miss", "a user created after a 404 for its id is found") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let first = sample.next()
            let created = try await users.create(name: first.name, email: first.email)
            // The next id is usually one more: read it while it is missing, so a program that
            // caches "not found" has a marker to forget when the user is created.
            let guess = created.id + 1
            for _ in 0..<2 { try await users.expectMissing(guess, why: "no user has id \(guess) yet") }
            let second = sample.next()
            let next = try await users.create(name: second.name, email: second.email)
            let exchange = try await users.getExchange(String(next.id))
            if exchange.response.status == 404 {
                throw exchange.failure("user \(next.id) was created (201) after GET \(UsersClient.collection)/\(guess) had answered 404, and it is still not found",
                                       expected: "200 with \(next)",
                                       hint: "if you cache \"not found\" markers, creating a user must delete the marker for its id")
            }
            try await users.expectUser(next, why: "it was just created")
        },
    ]

    static let race: [Check] = [
        Check("read-during-update", "a read during an update cannot put the old user back") { context in
            var sample = SampleUsers(context)
            let (cache, users, user) = try await warm(context, &sample, reads: 2)
            let changed = sample.next()
            let updated = CheckedUser(id: user.id, name: changed.name, email: changed.email)
            // The cache holds back its reply to the update's first write (a DEL, usually) until
            // another connection SETs that key or 3 s pass; meanwhile a read goes in. Store
            // first, then delete: the read loads the new user. Delete first: it loads the old.
            cache.holdNextWrite(seconds: 3)
            let finished = Finished()
            let update = Task {
                defer { finished.set() }
                return try await users.updateExchange(String(user.id), body: CheckedUser.body(name: changed.name, email: changed.email))
            }
            var held: (key: [UInt8], command: String)?
            for _ in 0..<1000 {
                if case .holding(let key, let command) = cache.heldWrite { held = (key, command); break }
                if case .released(let key, let command, _) = cache.heldWrite { held = (key, command); break }
                if finished.value { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            if held != nil {
                let read = try await users.getExchange(String(user.id))
                try read.expectStatus(200, meaning: "the user exists (old or new, while the update is in progress)")
            }
            let answer = try await update.value
            try answer.expectStatus(200, meaning: "the user is updated")
            let exchange = try await users.getExchange(String(user.id))
            try exchange.expectStatus(200, meaning: "the user exists")
            let got = try CheckedUser.read(try exchange.expectJSON("200 with \(updated)"), in: exchange, what: "200 with \(updated)")
            guard got != updated else { return }
            if got == user, let held {
                let key = EscapedBytes.text(held.key)
                throw exchange.failure("""
                    a read came in while your PUT was in progress, after your program had sent \(held.command) \(key) to the cache and \
                    before the PUT answered. It missed, read the old user from the store and SET \(key) again; so after the PUT \
                    answered 200 with \(updated), reads still get the old user, until the TTL ends
                    """,
                    expected: "200 with \(updated)",
                    hint: "update the store first, then delete the key: a read that misses in between then loads the new user")
            }
            throw exchange.failure(got == user ? "after PUT answered 200 with \(updated), GET still gets the old user \(user)" : "got \(got)",
                                   expected: "200 with \(updated)",
                                   hint: got == user ? "after updating the store, delete the user's key in the cache (DEL <key>)" : nil)
        },
    ]

    static let ttl: [Check] = [
        Check("entries-expire", "every cache entry has a TTL of at most an hour") { context in
            let cache = try context.service(CachePiece.key)
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            for _ in 0..<3 {
                let person = sample.next()
                let user = try await users.create(name: person.name, email: person.email)
                for _ in 0..<2 { try await users.expectUser(user, why: "it was just created") }
            }
            let keys = cache.keys()
            let commands = cache.commands
            if keys.isEmpty {
                let sets = commands.count(of: "set", "setex", "psetex")
                throw CheckFailure(sets == 0
                                       ? "after 3 users were created and each read twice, the cache holds no key: your program never SET one (the cache saw \(commands.summary))"
                                       : "after 3 users were created and each read twice, the cache holds no key, though it got \(sets) SET commands: they expired already",
                                   expected: "the users' entries in the cache, each with a TTL between 1 second and 1 hour",
                                   hint: sets == 0 ? "after a miss, SET <key> <the user's JSON> EX 60" : "PX takes milliseconds and EX seconds: PX 60 is 60 ms")
            }
            if let forever = keys.first(where: { $0.millisecondsLeft == nil }) {
                throw CheckFailure("the key \(forever.name) has no TTL: TTL \(forever.name) answers -1, so a stale entry would stay for ever (keys: \(BriefList(keys.map(\.name))))",
                                   expected: "every entry with a TTL between 1 second and 1 hour",
                                   hint: "SET <key> <value> EX 60 (or PX 60000) sets the value and its TTL in one command")
            }
            let hour: Int64 = 3_600_000
            if let long = keys.first(where: { ($0.millisecondsLeft ?? 0) > hour + 1000 }) {
                let seconds = (long.millisecondsLeft ?? 0) / 1000
                throw CheckFailure("the key \(long.name) expires in \(seconds) s (\(seconds / 3600) hours)",
                                   expected: "every entry with a TTL between 1 second and 1 hour",
                                   hint: "EX takes seconds and PX milliseconds: EX 600000 is a week, not ten minutes")
            }
        },
    ]

    static let down: [Check] = [
        Check("cache-down", "with the cache down, every request is answered from the store", weight: 2) { context in
            var sample = SampleUsers(context)
            let (cache, users, user) = try await warm(context, &sample, reads: 2)
            await cache.goDown()
            let downNote = "with the cache down (nothing listens at CACHE_ADDR any more)"
            let hint = "the cache is only a copy: when a cache command fails, log it and use the store, as on a miss (and give redigo's Dial timeouts, so a cache that hangs cannot hang your requests)"
            try await expectAnswer(200, downNote, hint) { try await users.getExchange(String(user.id)) }
            try await users.expectUser(user, why: "\(downNote), reads come from the store")
            let person = sample.next()
            let created = try await expectAnswer(201, downNote, hint) { try await users.createExchange(name: person.name, email: person.email) }
            let newcomer = try UsersClient.created(created, name: person.name, email: person.email)
            let changed = sample.next()
            try await expectAnswer(200, downNote, hint) { try await users.updateExchange(String(user.id), body: CheckedUser.body(name: changed.name, email: changed.email)) }
            try await users.expectUser(CheckedUser(id: user.id, name: changed.name, email: changed.email), why: "\(downNote), it was just updated")
            try await expectAnswer(204, downNote, hint) { try await users.deleteExchange(String(newcomer.id)) }
            try await users.expectMissing(newcomer.id, why: "\(downNote), it was just deleted")
        },
        Check("cache-back", "the cache is used again within 5 s of its return") { context in
            var sample = SampleUsers(context)
            let (cache, users, user) = try await warm(context, &sample, reads: 2)
            await cache.goDown()
            for _ in 0..<2 { try await users.expectUser(user, why: "with the cache down, reads come from the store") }
            try await cache.comeBack()
            let back = Date()
            let before = cache.statistics.hits
            var reads = 0
            // Reads for 10 s, twice the README's 5, so a breaker's cool-down of 5 s passes.
            while Date().timeIntervalSince(back) < 10 {
                try await users.expectUser(user, why: "the cache is back")
                reads += 1
                if cache.statistics.hits > before { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw CheckFailure("the cache came back on the same address, and \(reads) reads of user \(user.id) in the next 10 s made no cache hit (the cache saw \(cache.commands.summary))",
                               expected: "reads that use the cache again within 5 seconds of its return",
                               hint: "a connection that failed is dead: get a new one for the next command (redis.Pool does so once the failed one is Closed); if you stop calling a failing cache for a while, try it again after a few seconds")
        },
    ]

    // MARK: helpers

    /// The cache, a client, and a user created and then read `reads` times (so it is cached).
    static func warm(_ context: CheckContext, _ sample: inout SampleUsers, reads: Int = 1) async throws -> (CacheServer, UsersClient, CheckedUser) {
        let cache = try context.service(CachePiece.key)
        let users = try await UsersClient(context)
        let person = sample.next()
        let user = try await users.create(name: person.name, email: person.email)
        for _ in 0..<reads { try await users.expectUser(user, why: "it was just created") }
        return (cache, users, user)
    }

    /// Fails unless a read of `user.id` gets `user`; names stale data (`old`) as such.
    static func expectFresh(_ users: UsersClient, _ user: CheckedUser, old: CheckedUser, after what: String) async throws {
        let exchange = try await users.getExchange(String(user.id))
        let expected = "200 with \(user)"
        try exchange.expectStatus(200, meaning: "the user exists")
        let got = try CheckedUser.read(try exchange.expectJSON(expected), in: exchange, what: expected)
        if got == old {
            throw exchange.failure("after \(what), GET still gets the old user \(old): stale data from the cache",
                                   expected: expected,
                                   hint: "after updating the store, delete the user's key in the cache (DEL <key>); the next read loads the new user")
        }
        if got != user { throw exchange.failure("got \(got)", expected: expected) }
    }

    /// Fails unless `exchange` answered `status`, saying the cache was down.
    @discardableResult
    static func expectAnswer(_ status: Int, _ note: String, _ hint: String, _ exchange: () async throws -> HTTPExchange) async throws -> HTTPExchange {
        let answered: HTTPExchange
        do {
            answered = try await exchange()
        } catch let failure as CheckFailure {
            throw CheckFailure("\(note), \(failure.message)", sent: failure.sent, received: failure.received, expected: failure.expected, hint: hint)
        }
        try answered.expectStatus(status, meaning: note, hint: hint)
        return answered
    }
}

/// Set once, read from anywhere: whether a task has finished.
final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func set() { lock.withLock { done = true } }
    var value: Bool { lock.withLock { done } }
}
