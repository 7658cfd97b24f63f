import Grading

/// A fixture piece for the course's own tests: the smallest piece with a companion service.
/// A learner's program reads words on standard input and counts each with the counter
/// service at `$COUNTER_ADDR` (`INCR word` over TCP), printing `word N` per line. The checks
/// read the service's recording, so a program that counts by itself, ignores the address or
/// opens a connection per word is caught, which proves the engine's service path (start
/// before the program, address in a variable, reset per check, stop with the run) before
/// the real pieces (the pipeline's upstream, the cache) rely on it.
public enum CounterFixture {
    public static let suiteID = "counter"

    /// How checks reach the running service.
    public static let key = ServiceKey<CounterServer>("counter")

    public static let service = ServiceDefinition(
        name: "counter",
        summary: "A counter over a line protocol (a fixture of the course's own tests).",
        discussion: "INCR KEY answers the key's new count, GET KEY its count. Prints every command as it comes.",
        defaultPort: 7070,
        options: [ServiceOption("delay", .duration, valueName: "DURATION", help: "Wait this long before each answer (e.g. 200ms).")],
        address: .hostPort,
        hidden: true,
        start: { launch in try await CounterServer.start(launch) })

    public static let piece = Piece(
        id: suiteID,
        suites: [suite],
        services: [service],
        variables: [ProgramVariable("COUNTER_ADDR", .service("counter"), summary: "host:port of the counter service")])
}
