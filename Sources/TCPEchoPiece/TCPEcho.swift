import Foundation
import Grading

/// The TCP echo piece: a server on 127.0.0.1:$PORT answers every line a client sends with
/// the same line. The smallest server exercise there is, and how the grading engine's server
/// path (readiness, shared instance, restart, crash reports) is proven before the real
/// pieces rely on it.
public enum TCPEcho {
    public static let suiteID = "tcp-echo"

    public static let suite = CheckSuite(id: suiteID, stages: [
        "connect": [
            Check("one-line", "one line comes back") { context in
                let port = try await context.endpoint().port
                var random = context.random()
                let line = EchoLines.line(&random)
                let seconds = answerSeconds(context)
                try await Blocking.run { try EchoClient(port: port).echo([line], within: seconds) }
            },
        ],
        "many": [
            Check("several-lines", "several lines on one connection") { context in
                let port = try await context.endpoint().port
                var random = context.random()
                let lines = (0..<5).map { _ in EchoLines.line(&random) }
                let seconds = answerSeconds(context)
                try await Blocking.run {
                    let client = try EchoClient(port: port)
                    for line in lines { try client.echo([line], within: seconds) }
                }
            },
            Check("one-write", "lines sent in one write") { context in
                let port = try await context.endpoint().port
                var random = context.random()
                let lines = (0..<4).map { _ in EchoLines.line(&random) }
                let seconds = answerSeconds(context)
                try await Blocking.run {
                    try EchoClient(port: port).echo(lines, within: seconds, hint: "a read may return several lines: answer every one of them")
                }
            },
            Check("concurrent", "clients connected at the same time") { context in
                let port = try await context.endpoint().port
                var random = context.random()
                let rounds = (0..<3).map { _ in (0..<concurrentClients).map { _ in EchoLines.line(&random) } }
                let seconds = answerSeconds(context)
                try await Blocking.run {
                    let clients = try (1...concurrentClients).map { try EchoClient(port: port, name: "client \($0) of \(concurrentClients)") }
                    defer { clients.forEach { $0.close() } }
                    for (round, lines) in rounds.enumerated() {
                        for (index, (client, line)) in zip(clients, lines).enumerated() {
                            // A client after the first waiting for its first answer: the
                            // server is still busy with the first connection.
                            let waiting = round == 0 && index > 0
                            try client.echo([line], within: seconds, hint: waiting ? "all \(concurrentClients) clients stay connected at once: serve each connection in its own goroutine" : nil)
                        }
                    }
                }
            },
        ],
        "restart": [
            Check("after-restart", "serves again after a restart") { context in
                var random = context.random()
                let before = EchoLines.line(&random), after = [EchoLines.line(&random), EchoLines.line(&random)]
                let seconds = answerSeconds(context)
                let first = try await context.endpoint().port
                try await Blocking.run { try EchoClient(port: first, name: "the client before the restart").echo([before], within: seconds) }
                let port = try await context.restartServer().port
                try await Blocking.run { try EchoClient(port: port, name: "the client after the restart").echo(after, within: seconds) }
            },
        ],
    ], reference: .server(EchoServer.server(.faithful)), mutants: [
        Mutant(name: "serial", broken: "serves one connection at a time (in-process)", source: .server(EchoServer.server(.serial))),
    ])

    static let concurrentClients = 8

    /// How long one answer may take: two seconds, less near the end of the stage's time.
    static func answerSeconds(_ context: CheckContext) -> Double {
        max(0.5, min(2, context.deadline.timeIntervalSinceNow - 0.5))
    }
}

/// Lines the checks send: words and numbers from the check's seeded generator.
enum EchoLines {
    static let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
                        "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]

    static func line(_ random: inout SeededRandom) -> String {
        let count = Int.random(in: 2...5, using: &random)
        return (0..<count).map { _ in
            Int.random(in: 0..<4, using: &random) == 0 ? String(Int.random(in: 0..<10_000, using: &random))
                                                        : words.randomElement(using: &random)!
        }.joined(separator: " ")
    }
}
