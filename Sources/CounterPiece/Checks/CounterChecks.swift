import Foundation
import Grading

extension CounterFixture {
    static let suite = CheckSuite(id: suiteID, stages: [
        "counts": [
            Check("fresh-counts", "each word is counted by the service") { context in
                var random = context.random()
                let words = CounterWords.sample(&random, count: 6)
                try await expectCounts(context, words: words, preset: [:])
            },
            Check("existing-counts", "counts the service already holds are continued") { context in
                var random = context.random()
                let words = CounterWords.sample(&random, count: 5)
                let preset = Dictionary(Set(words).map { ($0, Int.random(in: 10...99, using: &random)) }) { $1 }
                try await expectCounts(context, words: words, preset: preset)
            },
        ],
        "one-connection": [
            Check("one-connection", "every word is sent on one connection") { context in
                var random = context.random()
                let words = CounterWords.sample(&random, count: 4)
                let counter = try context.service(key)
                counter.setDelay(0.05)
                try await expectCounts(context, words: words, preset: [:])
                let opened = counter.recording.connectionsOpened
                guard opened == 1 else {
                    throw CheckFailure("the program opened \(opened) connections to the counter service for \(words.count) words",
                                       sent: words.joined(separator: "\n"), expected: "one connection, every INCR on it",
                                       hint: "dial once before the loop and reuse the connection (and its reader)")
                }
            },
        ],
    ], mutants: [])

    /// Runs the program on `words` (after setting `preset` counts in the service) and expects
    /// `word N` lines that agree with what the service answered, and one `INCR word` per word
    /// in the service's recording.
    static func expectCounts(_ context: CheckContext, words: [String], preset: [String: Int]) async throws {
        let counter = try context.service(key)
        for (word, count) in preset { counter.set(word, to: count) }
        let input = words.joined(separator: "\n") + "\n"
        var counts = preset
        let expected = words.map { word -> String in
            counts[word, default: 0] += 1
            return "\(word) \(counts[word]!)"
        }
        let run = try await context.runProgram(input: input)
        let address = context.variables["COUNTER_ADDR"] ?? "?"
        let commands = counter.recording.commands.map(\.line)
        let sentToService = commands.isEmpty ? "(nothing)" : BriefList(commands).lines
        if let problem = run.problem {
            throw CheckFailure(problem, sent: input, received: run.output.text, expected: expected.joined(separator: "\n"))
        }
        let wanted = words.map { "INCR \($0)" }
        guard commands == wanted else {
            throw CheckFailure(commands.isEmpty ? "the counter service at \(address) received no command"
                                                : "the counter service at \(address) received other commands than one INCR per word",
                               sent: input, received: "the service received:\n" + sentToService,
                               expected: BriefList(wanted, limit: wanted.count).lines,
                               hint: commands.isEmpty ? "count with the service at $COUNTER_ADDR (INCR word), not in the program" : nil)
        }
        guard run.lines == expected else {
            throw CheckFailure("the output does not match the counts the service answered", sent: input, received: run.stdout.text,
                               expected: expected.joined(separator: "\n"), hint: "print each word and the number the service answered for it")
        }
    }
}

/// Words the checks count, drawn with repeats from a short list.
enum CounterWords {
    static let words = ["apple", "pear", "plum", "fig", "kiwi", "lime"]

    static func sample(_ random: inout SeededRandom, count: Int) -> [String] {
        (0..<count).map { _ in words.randomElement(using: &random)! }
    }
}
