import Grading
import Testing

/// A service's options as `course serve NAME` parses them: declared by the piece, checked by
/// kind, with variables as fallbacks, and every mistake a sentence naming the option.
struct ServiceOptionTests {
    static let options = [
        ServiceOption("db", .text, valueName: "PATH", help: "", environment: "DATABASE_PATH"),
        ServiceOption("latency", .duration, help: ""),
        ServiceOption("fail-rate", .number(0...1), help: ""),
        ServiceOption("workers", .integer(1...64), help: ""),
        ServiceOption("verbose", .flag, help: ""),
        ServiceOption("flaw", .list, help: "", hidden: true),
    ]

    static func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> (port: Int?, values: ServiceOptionValues) {
        try ServiceOptionValues.parse(arguments, options: options, environment: environment)
    }

    static func error(_ arguments: [String], environment: [String: String] = [:]) -> String? {
        do {
            _ = try parse(arguments, environment: environment)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func valuesOfEveryKindAreRead() throws {
        let parsed = try Self.parse(["--port", "9000", "--latency", "50ms", "--fail-rate=0.25", "--workers", "8", "--verbose",
                                     "--flaw", "a", "--flaw", "b", "--db", "/tmp/x.db"])
        #expect(parsed.port == 9000)
        #expect(parsed.values.duration("latency") == 0.05)
        #expect(parsed.values.number("fail-rate") == 0.25)
        #expect(parsed.values.integer("workers") == 8)
        #expect(parsed.values.flag("verbose"))
        #expect(parsed.values.list("flaw") == ["a", "b"])
        #expect(parsed.values.text("db") == "/tmp/x.db")
        #expect(try Self.parse(["--latency", "1.5s"]).values.duration("latency") == 1.5)
        #expect(try Self.parse(["--latency", "2m"]).values.duration("latency") == 120)
        #expect(try Self.parse(["--latency", "40"]).values.duration("latency") == 0.04, "a bare number is milliseconds")
        #expect(try Self.parse([]).port == nil)
    }

    @Test func aVariableStandsInForAnOptionNotGiven() throws {
        #expect(try Self.parse([], environment: ["DATABASE_PATH": "/data/users.db"]).values.text("db") == "/data/users.db")
        #expect(try Self.parse(["--db", "given.db"], environment: ["DATABASE_PATH": "/data/users.db"]).values.text("db") == "given.db")
        #expect(try Self.parse([], environment: ["DATABASE_PATH": ""]).values.text("db") == nil, "an empty variable is not a value")
    }

    @Test func mistakesSaySpecificallyWhatIsWrong() {
        #expect(Self.error(["--nope"]) == "unknown option '--nope' (options: --db, --latency, --fail-rate, --workers, --verbose, --port, --quiet)")
        #expect(Self.error(["--latency"]) == "--latency needs a value (VALUE)")
        #expect(Self.error(["--latency", "soon"]) == "--latency must be a duration such as 50ms, 1.5s or 2m, at most 10m (got 'soon')")
        #expect(Self.error(["--latency", "11m"]) == "--latency must be a duration such as 50ms, 1.5s or 2m, at most 10m (got '11m')")
        #expect(Self.error(["--fail-rate", "2"]) == "--fail-rate must be a number from 0 to 1 (got '2')")
        #expect(Self.error(["--workers", "0"]) == "--workers must be a whole number from 1 to 64 (got '0')")
        #expect(Self.error(["--port", "70000"]) == "--port must be a whole number from 0 to 65535 (got '70000')")
        #expect(Self.error(["--verbose=yes"]) == "--verbose takes no value")
        #expect(Self.error(["9000"]) == "unexpected argument '9000' (options start with --)")
        #expect(Self.error(["--db", ""]) == "--db must not be empty")
    }
}
