import Grading

/// The cache piece: a Redis-protocol cache. Its reference serves RESP2 so exactly that
/// redis-cli, redis-py and Go's redigo cannot tell it from redis-server 7, and it runs as a
/// companion service (`course serve cache`) for exercises that put a cache in front of
/// something.
public enum CachePiece {
    public static let key = ServiceKey<CacheServer>("cache")

    public static let service = ServiceDefinition(
        name: "cache",
        summary: "A Redis-compatible cache (RESP2): the course's reference.",
        discussion: """
            Speaks the Redis protocol: PING, ECHO, SET (EX/PX/EXAT/PXAT/NX/XX/GET/KEEPTTL), GET, DEL, EXISTS, \
            EXPIRE, PEXPIRE, TTL, PTTL, INCR, DECR, INCRBY, DECRBY, DBSIZE, FLUSHALL, INFO, HELLO 2, CLIENT, \
            COMMAND, SELECT 0, QUIT, inline commands and pipelining. Try it with `redis-cli -p PORT`. Prints \
            every command and its reply as it comes.
            """,
        defaultPort: 6380,
        options: [
            ServiceOption("max-keys", .integer(1...100_000_000), valueName: "N",
                          help: "Keep at most N keys, evicting the least recently used (default: $MAX_KEYS, else no bound).",
                          environment: "MAX_KEYS"),
            ServiceOption("data-dir", .text, valueName: "PATH",
                          help: "Keep an append-only log in PATH/appendonly.aof, each write in it before its reply, and replay it at start (default: $DATA_DIR, else memory only).",
                          environment: "DATA_DIR"),
        ],
        address: .hostPort,
        start: { launch in
            try await CacheServer.start(port: launch.port, maximumKeys: launch.options.integer("max-keys"),
                                        dataDirectory: launch.options.text("data-dir"), log: launch.log)
        })

    public static let piece = Piece(id: "cache", suites: [suite], services: [service], variables: [
        ProgramVariable("CACHE_ADDR", .service("cache"), summary: "host:port of the reference cache"),
        ProgramVariable("MAX_KEYS", .value("100"), summary: "the most keys the cache may hold; a new key beyond it evicts the least recently used"),
        ProgramVariable("DATA_DIR", .dataFile("cache"), summary: "the folder of the cache's append-only log, so acknowledged writes survive a restart or a crash"),
    ])
}
