import Grading

/// The pipeline piece: concurrency graded from the outside. A learner's program calls the
/// instrumented upstream (`UpstreamServer`), which records every request, so checks read
/// real concurrency, the in-flight bound, order and cancellation from what it saw.
public enum PipelinePiece {
    public static let key = ServiceKey<UpstreamServer>("upstream")

    public static let service = ServiceDefinition(
        name: "upstream",
        summary: "The instrumented upstream: GET /work/{n} answers {\"n\":n,\"result\":2n} after a latency.",
        discussion: """
            Answers GET /work/{n} with {"n":n,"result":2n} (200, JSON) after the latency asked for, or fails as \
            asked. Prints every request as it arrives (its connection and how many are in flight) and as it ends, \
            so you can watch your program's concurrency: try it with `curl`, then point UPSTREAM_URL at it.
            """,
        defaultPort: 8081,
        options: UpstreamOptions.all,
        address: .http,
        start: { launch in
            try await UpstreamServer.start(port: launch.port, settings: try UpstreamOptions.settings(launch.options, seed: launch.seed),
                                           log: launch.log)
        })

    public static let piece = Piece(id: "pipeline", suites: [basicsSuite, pipelineSuite, resilientSuite], services: [service], variables: [
        ProgramVariable("UPSTREAM_URL", .service("upstream"), summary: "the base URL of the instrumented upstream (http://127.0.0.1:PORT)"),
        ProgramVariable("WORKERS", .value("4"), summary: "the most requests (or goroutines at work) the program may have at once"),
    ])
}
