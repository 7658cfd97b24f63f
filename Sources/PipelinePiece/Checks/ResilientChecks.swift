import CourseEngine
import Foundation
import Grading

/// The checks of `pipeline-resilient`: the `pipeline` program against a slow and flaky
/// upstream, with the numbers its README fixes (`Resilience`): a 1 s deadline per attempt,
/// at most 4 attempts, retries of 5xx, broken connections and timeouts only, waits of
/// 50-100, 100-200 and 200-400 ms before them, a breaker that opens after 5 failures in a
/// row for 1 s, and connections reused. Every verdict is read from the upstream's recording
/// (attempts per item, the gaps between them, what was in flight, connections opened), never
/// from how long the program took. Stages other than `breaker` fail at most 4 attempts in
/// all, so a correct breaker never opens in them.
extension PipelinePiece {
    static let resilientSuite = CheckSuite(id: "pipeline-resilient", stages: [
        "results": [
            Check("in-order", "each integer's result, in input order, one request each, from a well upstream") { context in
                var random = context.random()
                var items: [Int] = []
                while items.count < 20 {
                    let n = Int.random(in: 1...999, using: &random)
                    if !items.contains(n) { items.append(n) }
                }
                let upstream = try context.service(key)
                upstream.configure { $0.latency = 0.06; $0.jitter = 0.05; $0.seed = context.seed }
                let run = try await Flow.run(context, items: items, workers: 4, seconds: Resilience.runSeconds)
                try Flow.expectLines(run, items: items, upstream: upstream)
                let recording = upstream.recording
                // Asked again after an answer of 200. On a busy machine an answer can come after
                // the program's deadline, which abandons the attempt by closing its connection
                // and retries: an answered attempt that was the last on a connection now closed
                // may have been answered unread.
                let again = items.filter { n in
                    recording.attempts(of: n).dropLast().contains { $0.outcome == .answered(200) && !recording.closedAfter($0) }
                }
                guard again.isEmpty else {
                    throw CheckFailure("the upstream answered item \(again[0]) with its result, and was asked for it again",
                                       sent: Basics.brief(Flow.lines(items)), received: "the upstream was asked for: \(recording.arrivalOrder.map(String.init).joined(separator: ", "))",
                                       expected: "one GET /work/{n} for each item: a request answered 200 is not sent again (unless it was abandoned at its deadline, its connection closed)")
                }
            },
        ],
        "timeout": [
            Check("hanging-item", "an attempt the upstream never answers is abandoned after 1 s and retried; the item is reported, the rest complete") { context in
                let items = Array(1...12)
                let upstream = try context.service(key)
                upstream.configure { settings in
                    settings.latency = 0.02
                    settings.failures = [5: UpstreamFailure(.hang)]
                    settings.latencyByItem = [9: 0.25]
                }
                let run = try await Flow.run(context, items: items, workers: 4, seconds: Resilience.runSeconds)
                let sent = "12 items answered after 20 ms, but item 9 after 250 ms and item 5 never (every attempt hangs), WORKERS=4"
                let recording = upstream.recording
                let hung = recording.attempts(of: 5)
                if let long = hung.first(where: { ($0.seconds ?? .infinity) > Resilience.deadline + Resilience.deadlineMargin }) {
                    let held = long.seconds.map { String(format: "%.1f s", $0) } ?? "until the check stopped your program"
                    throw CheckFailure("your program waited \(held) on attempt \(long.attempt) of item 5, which the upstream never answers",
                                       sent: sent, received: Basics.brief(run.output.text),
                                       expected: "each attempt abandoned after 1 s (the check allows \(Int(Resilience.deadline + Resilience.deadlineMargin)) s, for a loaded machine)",
                                       hint: "give every attempt its own deadline: ctx, cancel := context.WithTimeout(ctx, time.Second) around the request")
                }
                // Abandoned sooner than 0.9 s, before its answer was due: the program's deadline
                // is too short. Later, the answer was late because the machine was busy.
                if let early = recording.attempts(of: 9).first(where: { $0.clientWentAway && ($0.seconds ?? 0) < 0.9 }) {
                    throw CheckFailure("your program gave up on item 9 after \(String(format: "%.2f s", early.seconds ?? 0)); the upstream answers it after 0.25 s",
                                       sent: sent, expected: "a deadline of 1 s per attempt, so a 0.25 s answer arrives within it",
                                       hint: "context.WithTimeout(ctx, time.Second): one second for each attempt, not for less")
                }
                guard hung.count == Resilience.attempts else {
                    throw CheckFailure("item 5, which times out every time, was asked \(hung.count) time\(hung.count == 1 ? "" : "s")", sent: sent,
                                       expected: "a timed-out attempt is retried, up to 4 attempts in all",
                                       hint: hung.count < Resilience.attempts ? "a timeout is a failure a retry can fix: retry it like a 503"
                                                                              : "stop after the fourth attempt and print \"5 error …\"")
                }
                try Resilience.expectLines(run, items: items, failing: [5], sent: sent)
            },
        ],
        "retries": [
            Check("transient", "503, 500 and a reset connection are retried until the upstream answers; a 404 is asked once") { context in
                let items = Array(1...16)
                let upstream = try context.service(key)
                upstream.configure { settings in
                    settings.latency = 0.02
                    settings.failures = [3: UpstreamFailure(.status(503), attempts: 2), 8: UpstreamFailure(.status(500), attempts: 1),
                                         12: UpstreamFailure(.reset, attempts: 1), 6: UpstreamFailure(.status(404))]
                }
                let run = try await Flow.run(context, items: items, workers: 4, seconds: Resilience.runSeconds)
                let sent = "16 items; the upstream answers 3 with 503 twice, 8 with 500 once, resets the connection of 12 once, then answers them; 6 is always 404"
                let recording = upstream.recording
                let notFound = recording.attempts(of: 6).count
                guard notFound == 1 else {
                    throw CheckFailure("item 6, answered 404 Not Found, was asked \(notFound) times", sent: sent,
                                       expected: "a 4xx asked once: the same request gets the same answer",
                                       hint: "retry only 5xx statuses, broken connections and timeouts; print \"6 error …\" for a 4xx at once")
                }
                try Resilience.expectAttempts(recording, item: 3, count: 3, sent: sent)
                try Resilience.expectAttempts(recording, item: 8, count: 2, sent: sent)
                try Resilience.expectLines(run, items: items, failing: [6], sent: sent)
            },
            Check("gives-up", "an item that fails every attempt is asked 4 times, with growing waits between, then reported") { context in
                let items = Array(1...10)
                let upstream = try context.service(key)
                upstream.configure { settings in
                    settings.latency = 0.02
                    settings.failures = [4: UpstreamFailure(.status(503))]
                }
                let run = try await Flow.run(context, items: items, workers: 4, seconds: Resilience.runSeconds)
                let sent = "10 items; the upstream answers item 4 with 503 every time"
                try Resilience.expectAttempts(upstream.recording, item: 4, count: Resilience.attempts, sent: sent)
                try Resilience.expectLines(run, items: items, failing: [4], sent: sent)
            },
        ],
        "bounded": [
            Check("retries-within-bound", "never more than $WORKERS requests in flight, retries included") { context in
                let items = Array(1...24)
                let upstream = try context.service(key)
                upstream.configure { settings in
                    settings.latency = 0.3
                    settings.failures = [4: UpstreamFailure(.status(503), attempts: 2), 13: UpstreamFailure(.status(503), attempts: 2)]
                    settings.latencyByItem = [4: 0.02, 13: 0.02]
                }
                let run = try await Flow.run(context, items: items, workers: 3, seconds: Resilience.runSeconds)
                let sent = "24 items answered after 300 ms, WORKERS=3; items 4 and 13 get 503 twice after 20 ms, then their result"
                let most = Resilience.mostInFlight(answeredIn: upstream.recording)
                guard most <= 3 else {
                    throw CheckFailure("the upstream saw \(most) requests in flight at once with WORKERS=3", sent: sent, expected: "at most 3 in flight, retries included",
                                       hint: "a retry is a request like any other: make it while holding the item's slot (hold it through the wait, or take one again after it)")
                }
                try Resilience.expectLines(run, items: items, failing: [], sent: sent)
            },
        ],
        "breaker": [
            Check("opens-and-probes", "after 5 failures in a row nothing is sent for 1 s, then one probe; once the upstream recovers the rest complete") { context in
                try await Resilience.expectBreaker(context)
            },
        ],
        "reuse": [
            Check("keep-alive", "connections are reused, across bursts too: about $WORKERS of them for many requests") { context in
                try await Resilience.expectReuse(context)
            },
        ],
        "signal": [
            Check("sigterm", "SIGTERM while requests hang: nothing new is sent, retries included, and the program exits within 1 s") { context in
                try await Resilience.expectStopOnSignal(context)
            },
        ],
    ])
}
