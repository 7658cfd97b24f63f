import Grading

extension CachePiece {
    public static let suiteID = "cache"

    /// The stages of the `cache` exercise, by id (its manifest orders them). Every check
    /// talks RESP over raw TCP and compares each reply with redis-server 7's, byte for byte
    /// where the README fixes the reply, and any error where it asks only for an error.
    static let stages: [String: [Check]] = [
        "ping": ConnectionChecks.pong,
        "clients": ConnectionChecks.clients,
        "echo": StringChecks.echo,
        "set-get": StringChecks.setGet,
        "expiry": ExpiryChecks.checks,
        "keys": KeyChecks.delExists + KeyChecks.incr + KeyChecks.errors,
        "pipelining": PipelineChecks.checks,
        "info": InfoChecks.checks,
        "eviction": EvictionChecks.checks,
        "durability": DurabilityChecks.restart + DurabilityChecks.crash + DurabilityChecks.expiry + DurabilityChecks.torn,
    ]

    /// The checks, with the reference run as `course serve cache` (a process: the
    /// durability stage kills and restarts it), given MAX_KEYS and DATA_DIR like a
    /// learner's program. The mutants are folders of the exercise.
    static let suite = CheckSuite(id: suiteID, stages: stages, reference: CheckSuite.Reference(.service("cache")))
}
