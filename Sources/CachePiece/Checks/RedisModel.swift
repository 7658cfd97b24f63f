import Foundation

/// What redis-server 7 answers, computed: the reference's own commands (`CacheCommands`,
/// proven byte for byte against redis-server by the differential tests) run on a store of
/// the check's own that sees the same commands as the learner's server. Checks use fresh
/// keys, so the model and the server agree on every key a check touches.
final class RedisModel: @unchecked Sendable {
    private var state = CacheState(store: CacheStore(), port: 0)
    private var client = CacheClient(id: 1)
    private let lock = NSLock()

    func reply(to command: CacheCommand) -> RESPReply {
        lock.withLock { CacheCommands.execute(command.arguments, client: &client, state: &state) }
    }
}
