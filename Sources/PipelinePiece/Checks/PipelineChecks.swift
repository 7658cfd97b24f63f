import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The checks of `pipeline`: integers on standard input, one `GET $UPSTREAM_URL/work/{n}`
/// each, `n result` lines in input order, at most `$WORKERS` in flight, failures on their
/// own lines, and a prompt stop on SIGTERM. Every judgement about concurrency is read from
/// the upstream's recording (what was in flight, when requests arrived and ended, whether
/// the client went away), never from how long the program took, so a loaded machine slows
/// a correct program without failing it. The first stage runs one worker, so only the
/// `order` stage, second, judges results that come back out of order.
extension PipelinePiece {
    static let pipelineSuite = CheckSuite(id: "pipeline", stages: [
        "results": [
            Check("few", "each integer's result, from the upstream, in input order (WORKERS=1)") { context in
                var random = context.random()
                let items = (0..<5).map { _ in Int.random(in: 1...999, using: &random) }
                let upstream = try context.service(key)
                upstream.configure { $0.latency = 0.01 }
                let run = try await Flow.run(context, items: items, workers: 1)
                try Flow.expectLines(run, items: items, upstream: upstream)
                let asked = upstream.recording.arrivalOrder
                guard asked.sorted() == items.sorted() else {
                    throw CheckFailure("the upstream was not asked once for each item",
                                       sent: Flow.lines(items), received: "the upstream was asked for: \(asked.isEmpty ? "nothing" : asked.map(String.init).joined(separator: ", "))",
                                       expected: "one GET /work/{n} for each: \(items.map(String.init).joined(separator: ", "))",
                                       hint: asked.isEmpty ? "read the upstream's address from $UPSTREAM_URL and GET $UPSTREAM_URL/work/{n}" : nil)
                }
            },
        ],
        "concurrent": [
            Check("in-flight-together", "with $WORKERS=8, several requests are in flight at once") { context in
                let items = Array(1...24)
                let upstream = try context.service(key)
                upstream.configure { $0.latency = 0.2 }
                let run = try await Flow.run(context, items: items, workers: 8)
                try Flow.expectLines(run, items: items, upstream: upstream)
                let recording = upstream.recording
                let serial = Double(items.count) * 0.2
                let span = Flow.span(recording)
                guard recording.mostInFlight >= 4, span < serial / 2 else {
                    throw CheckFailure(String(format: "the upstream saw at most %d request%@ in flight, and the %d requests took %.2f s from the first arrival to the last answer (one at a time: %.1f s)",
                                              recording.mostInFlight, recording.mostInFlight == 1 ? "" : "s", items.count, span, serial),
                                       sent: "\(items.count) items, each answered after 200 ms, WORKERS=8",
                                       expected: String(format: "at least 4 in flight at once and under %.1f s (half of one at a time)", serial / 2),
                                       hint: "start the next request before the previous one is answered: up to $WORKERS goroutines, each doing one request")
                }
            },
        ],
        "bounded": [
            Check("at-most-workers", "never more than $WORKERS requests in flight") { context in
                let items = Array(1...30)
                let upstream = try context.service(key)
                upstream.configure { $0.latency = 0.1 }
                let run = try await Flow.run(context, items: items, workers: 3)
                try Flow.expectLines(run, items: items, upstream: upstream)
                let most = upstream.recording.mostInFlight
                guard most <= 3 else {
                    throw CheckFailure("the upstream saw \(most) requests in flight at once with WORKERS=3",
                                       sent: "\(items.count) items, each answered after 100 ms, WORKERS=3", expected: "at most 3 in flight at any moment",
                                       hint: "take a slot (a buffered channel of $WORKERS as a semaphore, or $WORKERS workers) before each request, and give it back when the answer is read")
                }
            },
        ],
        "order": [
            Check("input-order", "results in input order when later items are answered first") { context in
                let items = Array(1...40)
                let upstream = try context.service(key)
                upstream.configure { $0.latency = 0.06; $0.jitter = 0.05; $0.seed = context.seed }
                let run = try await Flow.run(context, items: items, workers: 8)
                try Flow.expectLines(run, items: items, upstream: upstream)
                // With requests overlapping, seeded jitter ends them out of order; if it did
                // not, the check proved nothing (a serial program is the concurrent stage's).
                let recording = upstream.recording
                let byEnd = recording.requests.sorted { ($0.ended ?? .distantFuture) < ($1.ended ?? .distantFuture) }.compactMap(\.item)
                guard recording.mostInFlight < 2 || byEnd != items else {
                    throw CourseError("the upstream answered in input order although its latency had jitter (grader problem; run again)")
                }
            },
        ],
        "failures": [
            Check("failed-item", "a failed item gets an error line of its own, the rest complete, exit status non-zero") { context in
                let items = Array(1...12)
                let upstream = try context.service(key)
                upstream.configure { settings in
                    settings.latency = 0.02
                    settings.failures = [4: UpstreamFailure(.status(503)), 9: UpstreamFailure(.status(500))]
                }
                let run = try await Flow.run(context, items: items, workers: 4)
                let expected = items.map { [4, 9].contains($0) ? "\($0) error …" : "\($0) \(2 * $0)" }
                let lines = run.lines
                let good = lines.count == items.count && zip(lines, items).allSatisfy { line, n in
                    [4, 9].contains(n) ? line.hasPrefix("\(n) error") : line == "\(n) \(2 * n)"
                }
                guard good else {
                    throw CheckFailure("the output is not one line per item with errors in their places",
                                       sent: Flow.lines(items) + "(the upstream answers 4 with 503 and 9 with 500)",
                                       received: run.output.text.isEmpty ? "(no output)" : Basics.brief(run.output.text), expected: expected.joined(separator: "\n"),
                                       hint: "a status other than 200 is an error for that item only: print \"n error <why>\" in its place and go on")
                }
                guard let termination = run.termination, case .exited(let code) = termination, code != 0 else {
                    throw CheckFailure("the program \(run.termination.map(\.description) ?? "did not exit") after items failed",
                                       sent: Flow.lines(items), received: run.stdout.text, expected: "exit status non-zero (1) once every item is printed")
                }
            },
        ],
        "signal": [
            Check("sigterm", "SIGTERM: nothing new is sent, requests in flight are cancelled, the program exits within 1 s") { context in
                try await Flow.expectStopOnSignal(context)
            },
        ],
    ])
}

/// What the pipeline checks share.
enum Flow {
    static func lines(_ items: [Int]) -> String { Basics.lines(items) }

    /// Runs the program on `items` with `WORKERS=workers`, for at most `seconds`.
    static func run(_ context: CheckContext, items: [Int], workers: Int, seconds: Double = 20) async throws -> ProgramRun {
        try await context.runProgram(input: lines(items), environment: ["WORKERS": String(workers)], seconds: seconds)
    }

    /// Seconds from the first request's arrival to the last one's end.
    static func span(_ recording: UpstreamRecording) -> Double {
        guard let first = recording.requests.map(\.arrived).min(), let last = recording.requests.compactMap(\.ended).max() else { return 0 }
        return last.timeIntervalSince(first)
    }

    /// Expects exit status 0 and `n 2n` for each item, in input order.
    static func expectLines(_ run: ProgramRun, items: [Int], upstream: UpstreamServer) throws {
        let expected = items.map { "\($0) \(2 * $0)" }
        if let problem = run.problem {
            throw CheckFailure(problem, sent: Basics.brief(lines(items)), received: Basics.brief(run.output.text), expected: Basics.brief(expected.joined(separator: "\n")),
                               hint: run.timedOut ? "exit once the input has ended and every result is printed" : nil)
        }
        guard run.lines != expected else { return }
        let inOrder = run.lines.sorted() == expected.sorted()
        throw CheckFailure(inOrder ? "the results are right but not in input order" : "the output is not \"n result\" for each item, in input order",
                           sent: Basics.brief(lines(items)), received: Basics.brief(run.stdout.text), expected: Basics.brief(expected.joined(separator: "\n")),
                           hint: inOrder ? "print in input order: keep each item's result channel in a queue in input order and read them one after the other"
                                         : "print the n you read and the \"result\" field of the upstream's JSON answer, separated by a space",
                           tag: inOrder ? "order" : nil)
    }

    /// Starts the program on 30 items at 1 s each with WORKERS=3; once the upstream has seen
    /// six requests and has three in flight (a round answered, the next not due for a
    /// second), sends SIGTERM and reads the recording: no arrival after the signal, the three
    /// in flight abandoned by the client, an exit by itself within 1 s with a non-zero
    /// status, and only correct lines printed. The second of latency is the margin a loaded
    /// machine gets: in a 50-run trial at 300 ms, 2 runs of the sample solution on two busy
    /// cores were signalled late enough that its next round had already gone out.
    static func expectStopOnSignal(_ context: CheckContext) async throws {
        let items = Array(1...30)
        let upstream = try context.service(PipelinePiece.key)
        upstream.configure { $0.latency = 1.0 }
        let program = try context.start(environment: ["WORKERS": "3"])
        _ = program.write(lines(items))
        program.closeInput()
        let sent = "30 items, each answered after 1 s, WORKERS=3; SIGTERM once 6 requests had arrived and 3 were in flight"
        let ready = await upstream.wait(seconds: 20) { recording in
            recording.requests.count >= 6 && recording.requests.filter { $0.ended == nil }.count == 3
        }
        guard ready else {
            let seen = upstream.recording.requests.count
            await program.stop()
            throw CheckFailure("the upstream saw \(seen) request\(seen == 1 ? "" : "s") within 20 s, not the 6 (3 in flight) the check waits for before the signal",
                               sent: sent, received: Basics.brief(program.combinedOutput.snapshot().text))
        }
        let moment = Date()
        program.signalProgram(SIGTERM)
        // The spec says 1 s; the check waits 3 s, because a machine loaded far beyond its two
        // cores once took longer than 1 s to let the sample solution exit (1 of 30 runs).
        let termination = await program.waitForExit(seconds: 3.0)
        let exitSeconds = Date().timeIntervalSince(moment)
        // Give cancelled connections a moment to be seen closing, then stop what is left.
        _ = await upstream.wait(seconds: 2) { $0.inFlight(at: Date()).isEmpty }
        await program.stop()
        let recording = upstream.recording
        let output = program.stdout.snapshot().text
        let late = recording.requests(after: moment)
        guard late.isEmpty else {
            throw CheckFailure("\(late.count) request\(late.count == 1 ? "" : "s") reached the upstream after SIGTERM (for \(late.compactMap(\.item).map(String.init).joined(separator: ", ")))",
                               sent: sent, expected: "no new request after the signal",
                               hint: "stop starting requests once the signal's context is done (signal.NotifyContext), and check it before each new one")
        }
        guard let termination else {
            throw CheckFailure("the program did not exit within 3 s of SIGTERM", sent: sent, received: Basics.brief(output),
                               expected: "an exit within 1 s, status 1", hint: "cancel what is in flight and return from main once the signal's context is done")
        }
        let inFlight = recording.inFlight(at: moment)
        let answered = inFlight.filter { if case .answered = $0.outcome { return true } else { return false } }
        guard answered.isEmpty else {
            throw CheckFailure("the requests in flight at the signal were not cancelled: the upstream answered \(answered.count) of \(inFlight.count) of them",
                               sent: sent, expected: "the requests in flight abandoned (the connection closed) when the signal comes",
                               hint: "make each request with the signal's context (http.NewRequestWithContext), so cancelling it closes the connection")
        }
        guard case .exited(let code) = termination, code != 0 else {
            throw CheckFailure("the program \(termination) on SIGTERM", sent: sent, received: Basics.brief(output),
                               expected: "the program handles the signal and exits by itself with status 1",
                               hint: termination == .exited(0) ? "exit with status 1 when stopped by a signal: the work is not complete"
                                                               : "catch the signal (signal.NotifyContext) instead of being killed by it")
        }
        let printed = ProgramRunLines.split(output)
        let prefix = items.prefix(printed.count).map { "\($0) \(2 * $0)" }
        guard printed == Array(prefix) else {
            throw CheckFailure("what the program printed before it stopped is not the first results in input order", sent: sent,
                               received: Basics.brief(output), expected: "lines such as 1 2, 2 4, 3 6 … for the items answered before the signal")
        }
        _ = exitSeconds
    }
}

/// Standard output text as lines, without a final empty one.
enum ProgramRunLines {
    static func split(_ text: String) -> [String] {
        var text = text
        if text.hasSuffix("\n") { text.removeLast() }
        return text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
