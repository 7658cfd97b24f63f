import Foundation
import Grading

/// The checks of `pipeline-basics`: integers on standard input, their squares on standard
/// output in input order, worked out by `$WORKERS` goroutines. There is no upstream to
/// watch, so concurrency is read from time, and only in the direction load cannot fake:
/// the starter's `square(n)` sleeps (|n| mod 10) × 5 ms, a bounded program cannot finish
/// faster than its workers can sleep, and a concurrent one finishes far below the serial
/// sum (half of it is the bound; a loaded machine stretches sleeps very little). The first
/// two stages run with one worker, so only the `order` stage judges the order of results
/// that finish out of order.
extension PipelinePiece {
    static let basicsSuite = CheckSuite(id: "pipeline-basics", stages: [
        "squares": [
            Check("few", "a few integers, squared in input order") { context in
                var random = context.random()
                let items = (0..<6).map { _ in Int.random(in: -99...99, using: &random) }
                try await Basics.expectSquares(context, input: Basics.lines(items), items: items, workers: 1)
            },
            Check("no-final-newline", "a last line without its newline is read too") { context in
                try await Basics.expectSquares(context, input: "7\n-3\n12", items: [7, -3, 12], workers: 1)
            },
            Check("empty", "no input, no output, and the program exits") { context in
                try await Basics.expectSquares(context, input: "", items: [], workers: 1)
            },
        ],
        "bad-lines": [
            Check("skipped", "a line that is not an integer is reported on standard error and skipped") { context in
                let input = "4\nfive\n6\n2.5\n-1\n"
                let run = try await Basics.run(context, input: input, workers: 1)
                let stderr = Basics.standardError(of: run)
                guard run.lines == ["16", "36", "1"] else {
                    throw CheckFailure(run.lines.contains { !$0.allSatisfy(\.isNumber) } ? "standard output holds more than the squares" : "the squares of the good lines are not what was printed",
                                       sent: input, received: run.stdout.text, expected: "16\n36\n1",
                                       hint: "report a bad line on standard error (fmt.Fprintf(os.Stderr, …)) and go on with the next")
                }
                guard stderr.contains("five"), stderr.contains("2.5") else {
                    throw CheckFailure("standard error does not name the bad lines", sent: input, received: stderr.isEmpty ? "(nothing on standard error)" : stderr,
                                       expected: "a line on standard error for 'five' and one for '2.5'")
                }
                guard let termination = run.termination, !termination.isSuccess else {
                    throw CheckFailure("the program exited with status 0 after skipping lines", sent: input, received: run.output.text,
                                       expected: "exit status 1 once everything else is printed", hint: "os.Exit(1) at the end when a line was skipped")
                }
            },
            Check("blank", "blank lines are ignored") { context in
                try await Basics.expectSquares(context, input: "2\n\n3\n  \n", items: [2, 3], workers: 1)
            },
        ],
        "order": [
            Check("input-order", "the squares come out in input order, whichever finishes first") { context in
                var random = context.random()
                // Slow items (9, 19…: 45 ms) before fast ones (10, 20…: 0 ms): workers finish out of order.
                let items = (0..<48).map { index in Int.random(in: 1...9, using: &random) * 10 + (index % 3 == 0 ? 9 : 0) }
                try await Basics.expectSquares(context, input: Basics.lines(items), items: items, workers: 6)
            },
        ],
        "concurrent": [
            Check("faster-than-serial", "with $WORKERS workers the work is done at once, not one item after the other") { context in
                // 200 items: a concurrent run has 3 s to spare under the bound, for a machine so
                // busy that starting the program takes seconds. A serial run cannot be faster
                // than its sleeps, so it fails whatever the load; a second run is allowed,
                // since only the correct program can lose by bad luck here.
                let items = (1...200).map { $0 * 10 + 9 }
                let serial = Double(items.count) * 0.045
                var seconds = 0.0
                for _ in 1...2 {
                    let started = Date()
                    try await Basics.expectSquares(context, input: Basics.lines(items), items: items, workers: 8)
                    seconds = Date().timeIntervalSince(started)
                    if seconds < serial / 2 { return }
                }
                throw CheckFailure(String(format: "200 items of 45 ms each with WORKERS=8 took %.2f s (twice): one at a time takes %.2f s, eight at a time about %.2f s",
                                          seconds, serial, serial / 8),
                                   expected: String(format: "well under %.2f s (half of one at a time)", serial / 2),
                                   hint: "start $WORKERS goroutines that each take jobs from one channel; do not wait for one square before starting the next")
            },
        ],
        "bounded": [
            Check("at-most-workers", "never more than $WORKERS squares at once") { context in
                // A bounded run cannot beat its sleeps: two at a time, 100 items take at least
                // 2.25 s, however idle the machine. An unbounded one takes about 45 ms plus the
                // start, which a loaded machine can stretch past any bound once; so all three
                // runs must take the time, and luck would have to slow the mutant three times.
                let items = (1...100).map { $0 * 10 + 9 }
                let least = Double(items.count) * 0.045 / 2
                for run in 1...3 {
                    let started = Date()
                    try await Basics.expectSquares(context, input: Basics.lines(items), items: items, workers: 2)
                    let seconds = Date().timeIntervalSince(started)
                    guard seconds >= least * 0.7 else {
                        throw CheckFailure(String(format: "100 items of 45 ms each with WORKERS=2 took %.2f s (run %d of 3): two at a time cannot take less than %.2f s, so more than two ran at once",
                                                  seconds, run, least),
                                           expected: String(format: "at least %.2f s every time: at most 2 squares at a time", least),
                                           hint: "start exactly $WORKERS worker goroutines, not one goroutine per line")
                    }
                }
            },
        ],
    ])
}

/// What the basics checks share: running the program and telling a deadlock when they see one.
enum Basics {
    /// What a deadlock at end of input is called, whichever way it shows.
    static let deadlock = "your program did not exit after its input ended: are all goroutines waiting on a channel nobody closes?"

    static func lines(_ items: [Int]) -> String { items.map(String.init).joined(separator: "\n") + "\n" }

    /// Runs the program with `WORKERS=workers` (given at most 20 s: the slowest correct run
    /// takes about 1.5 s on a quiet machine, and a correct run on a machine at load 15 took
    /// more than 10), naming a deadlock as such.
    static func run(_ context: CheckContext, input: String, workers: Int) async throws -> ProgramRun {
        let run = try await context.runProgram(input: input, environment: ["WORKERS": String(workers)], seconds: 20)
        let goSaid = run.output.text.contains("all goroutines are asleep - deadlock")
        if run.timedOut || goSaid {
            throw CheckFailure(deadlock, sent: brief(input), received: run.output.text.isEmpty ? "(no output)" : brief(run.output.text),
                               expected: "the squares, then the program exits",
                               hint: goSaid ? "Go stopped it: every goroutine was blocked. Close the jobs channel when input ends, and close the results channel once every worker is done (sync.WaitGroup)"
                                            : "close the jobs channel when input ends, and the results channel once every worker is done (sync.WaitGroup)",
                               tag: "deadlock")
        }
        return run
    }

    /// Runs the program and expects the squares of `items`, in order, and exit status 0.
    static func expectSquares(_ context: CheckContext, input: String, items: [Int], workers: Int) async throws {
        let run = try await self.run(context, input: input, workers: workers)
        let expected = items.map { String($0 * $0) }
        if let problem = run.problem {
            throw CheckFailure(problem, sent: brief(input), received: brief(run.output.text), expected: brief(expected.joined(separator: "\n")))
        }
        guard run.lines != expected else { return }
        let sameSquares = run.lines.sorted() == expected.sorted()
        throw CheckFailure(sameSquares ? "the squares are right but not in input order" : "the output is not the squares of the input, one a line",
                           sent: brief(input), received: brief(run.stdout.text), expected: brief(expected.joined(separator: "\n")),
                           hint: sameSquares ? "carry each item's index with it through the workers, and let the sink print index 0, 1, 2… as they become available"
                                             : nil,
                           tag: sameSquares ? "order" : nil)
    }

    /// What the program wrote that was not on standard output.
    static func standardError(of run: ProgramRun) -> String {
        var rest = run.output.text
        for line in run.stdout.text.split(separator: "\n") {
            if let range = rest.range(of: line + "\n") { rest.removeSubrange(range) }
        }
        return rest.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// At most 20 lines.
    static func brief(_ text: String) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard all.count > 20 else { return text }
        return all.prefix(20).joined(separator: "\n") + "\n… (\(all.count - 20) more lines)"
    }
}
