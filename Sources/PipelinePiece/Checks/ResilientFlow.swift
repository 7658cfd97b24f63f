import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The numbers `pipeline-resilient`'s README fixes, and what its checks share.
enum Resilience {
    /// Seconds each attempt may take.
    static let deadline = 1.0
    /// What the checks allow beyond it: on two cores busy with other work, the upstream
    /// saw the sample solution abandon a hanging attempt after 3.5 s (1 of 10 runs).
    static let deadlineMargin = 4.0
    /// Attempts per item, the first included.
    static let attempts = 4
    /// The shortest wait before retry k (1, 2, 3): half of 100, 200, 400 ms ("equal jitter").
    static func shortestWait(beforeRetry k: Int) -> Double { 0.1 * pow(2, Double(k - 1)) / 2 }
    /// Failures in a row that open the breaker, and how long it stays open.
    static let threshold = 5
    static let coolDown = 1.0
    /// The longest a run may take before the check stops it.
    static let runSeconds = 30.0
    /// Connections a program may open beyond one per worker.
    static let connectionSlack = 2
    /// Clock reads on both sides of a gap: the upstream records an end before it writes it.
    static let gapTolerance = 0.005

    /// Expects one line per item in input order: `n error …` for the items in `failing`,
    /// `n 2n` for the rest; then exit status 1 if any failed, 0 if none did.
    static func expectLines(_ run: ProgramRun, items: [Int], failing: Set<Int>, sent: String) throws {
        let expected = items.map { failing.contains($0) ? "\($0) error …" : "\($0) \(2 * $0)" }
        if run.timedOut || run.limitHit != nil {
            throw CheckFailure(run.problem ?? "the program did not finish", sent: sent, received: Basics.brief(run.output.text),
                               expected: Basics.brief(expected.joined(separator: "\n")), hint: "exit once the input has ended and every line is printed")
        }
        let lines = run.lines
        let good = lines.count == items.count && zip(lines, items).allSatisfy { line, n in
            failing.contains(n) ? line.hasPrefix("\(n) error") : line == "\(n) \(2 * n)"
        }
        guard good else {
            let sameSet = lines.sorted() == expected.sorted()
            throw CheckFailure(sameSet ? "the lines are right but not in input order" : "the output is not one line per item, in input order, with errors in their places",
                               sent: sent, received: run.stdout.text.isEmpty ? "(no output)" : Basics.brief(run.stdout.text),
                               expected: Basics.brief(expected.joined(separator: "\n")),
                               hint: failing.isEmpty ? "every item here gets its result in the end: retry what failed"
                                                     : "an item that cannot be done gets \"n error <why>\" in its place, and the rest go on")
        }
        guard let termination = run.termination, case .exited(let code) = termination, (code != 0) == !failing.isEmpty else {
            throw CheckFailure("the program \(run.termination.map(\.description) ?? "did not exit")", sent: sent, received: Basics.brief(run.stdout.text),
                               expected: failing.isEmpty ? "exit status 0: every item got its result" : "exit status 1 once every line is printed: an item failed")
        }
    }

    /// Expects `count` requests for `item`, each retry after at least the shortest wait the
    /// README gives for it (measured from the end of the attempt before to the retry's arrival).
    static func expectAttempts(_ recording: UpstreamRecording, item: Int, count: Int, sent: String) throws {
        let asked = recording.attempts(of: item)
        // An attempt the client abandoned at its deadline (a busy machine answering a 20 ms
        // request late) may add one, within the limit.
        let answered = asked.filter { !$0.clientWentAway }.count
        guard asked.count <= attempts, asked.count == count || answered == count else {
            let outcomes = asked.map { $0.outcome.description }.joined(separator: ", ")
            throw CheckFailure("item \(item) was asked \(asked.count) time\(asked.count == 1 ? "" : "s") (the upstream's answers: \(outcomes.isEmpty ? "none" : outcomes))",
                               sent: sent, expected: "\(count) attempts: failed ones retried until one succeeds, at most \(attempts) in all",
                               hint: asked.count < count ? "a 5xx status or a broken connection is worth another try: retry it, after a wait"
                                                         : "stop at the first success, and after the fourth attempt at the latest")
        }
        // A gap after an attempt the client abandoned (its deadline passed on a busy machine)
        // is not judged: the upstream notices a closed connection late, after the retry
        // may already have arrived.
        let gaps = recording.retryGaps(of: item)
        for (index, gap) in gaps.enumerated() where !asked[index].clientWentAway && gap < shortestWait(beforeRetry: index + 1) - gapTolerance {
            let waits = gaps.map { String(format: "%.0f ms", $0 * 1000) }.joined(separator: ", ")
            throw CheckFailure("retry \(index + 1) of item \(item) came \(String(format: "%.0f ms", gap * 1000)) after the attempt before it failed (all the waits: \(waits))",
                               sent: sent, expected: "before retries 1, 2 and 3, a random wait between 50 and 100, 100 and 200, 200 and 400 ms",
                               hint: "wait half the ceiling plus a random part of the other half: base/2 + rand.Int63n(base/2), the base doubling each retry")
        }
    }

    /// How long the reuse check waits for each burst to be answered.
    static let burstSeconds = 30.0

    /// Writes 6 bursts of 4 integers with WORKERS=4, each burst once the upstream has
    /// answered the one before (answers after 50 ms) and a moment has passed, then ends the
    /// input. Between bursts every connection is idle: a Transport that keeps only 2 idle
    /// connections per host (Go's default) closes the others and dials again for the next
    /// burst; one that reads no body to its end, or has keep-alive off, dials for every request.
    static func expectReuse(_ context: CheckContext) async throws {
        let upstream = try context.service(PipelinePiece.key)
        upstream.configure { $0.latency = 0.05 }
        let items = Array(1...24)
        let sent = "24 integers in 6 bursts of 4, each written once the one before was answered (after 50 ms), WORKERS=4"
        let program = try context.start(environment: ["WORKERS": "4"])
        // The first burst not answered in time, with what the upstream saw by then. A burst
        // takes a correct program about 50 ms, but on a busy 2-core machine a check can stall
        // 5-10 s before the program's first request: 10 s per burst failed a correct program
        // 3 times in 150 runs, so a burst gets 30 s (a program that reads all its input before
        // it starts still fails, after 30 s).
        var stuck: (burst: Int, seen: String)?
        for burst in 0..<6 {
            guard program.write(Flow.lines(Array(items[(burst * 4)..<(burst * 4 + 4)]))) else { break }
            let answered = await upstream.wait(seconds: burstSeconds) { recording in
                recording.requests.filter { $0.outcome == .answered(200) }.count >= burst * 4 + 4
            }
            guard answered else {
                stuck = (burst + 1, Self.summary(upstream.recording))
                break
            }
            try? await Task.sleep(nanoseconds: 150_000_000)
        }
        program.closeInput()
        let termination = await program.waitForExit(seconds: 20)
        await program.stop()
        let recording = upstream.recording
        let output = program.stdout.snapshot().text
        let expected = items.map { "\($0) \(2 * $0)" }
        if let stuck {
            throw CheckFailure("burst \(stuck.burst) of 6 was not answered within \(Int(burstSeconds)) s of being written: by then the upstream had seen \(stuck.seen)"
                               + "; after the input ended the program \(termination.map(\.description) ?? "did not exit within 20 s")",
                               sent: sent, received: Basics.brief(program.combinedOutput.snapshot().text), expected: Basics.brief(expected.joined(separator: "\n")),
                               hint: "read and start each line as it comes: the check writes the next burst only once the last one is answered")
        }
        guard ProgramRunLines.split(output) == expected, termination == .exited(0) else {
            throw CheckFailure("the output is not \"n 2n\" for each item in input order, with exit status 0 (the program \(termination.map(\.description) ?? "did not exit within 20 s of the end of its input"))",
                               sent: sent, received: Basics.brief(program.combinedOutput.snapshot().text), expected: Basics.brief(expected.joined(separator: "\n")),
                               hint: "read and start each line as it comes: the check writes the next burst only once the last one is answered")
        }
        let opened = recording.connectionsOpened
        guard opened <= 4 + connectionSlack else {
            let perRequest = opened >= recording.requests.count
            throw CheckFailure("the upstream saw \(opened) connections for \(recording.requests.count) requests"
                               + (perRequest ? ": read each body to EOF and close it so the Transport can reuse the connection" : ""),
                               sent: sent, expected: "at most \(4 + connectionSlack) connections (one per worker, and a little slack)",
                               hint: perRequest ? "io.Copy(io.Discard, response.Body) (or decode it all) before response.Body.Close(), and leave keep-alives on"
                                                : "between bursts the Transport keeps only 2 idle connections per host unless told: set MaxIdleConnsPerHost to $WORKERS")
        }
    }

    /// What the upstream saw, in a few words: each request's item, attempt and outcome (`3: 200`).
    static func summary(_ recording: UpstreamRecording) -> String {
        guard !recording.requests.isEmpty else { return "no request, on \(recording.connectionsOpened) connection\(recording.connectionsOpened == 1 ? "" : "s") opened" }
        let requests = recording.requests.map { "\($0.label): \($0.outcome)" }
        return "\(recording.requests.count) request\(recording.requests.count == 1 ? "" : "s") on \(recording.connectionsOpened) connection\(recording.connectionsOpened == 1 ? "" : "s"): "
            + requests.joined(separator: ", ")
    }

    /// The most requests in flight at once, leaving out those the client abandoned: the
    /// upstream notices a closed connection late on a busy machine, after the program's
    /// next request may have arrived, and counting the abandoned one until then would see
    /// one request too many.
    static func mostInFlight(answeredIn recording: UpstreamRecording) -> Int {
        let kept = recording.requests.filter { !$0.clientWentAway }
        // Ends before arrivals at the same moment: an answer is recorded before it is sent.
        let events = kept.map { ($0.arrived, 1) } + kept.compactMap { $0.ended.map { ($0, -1) } }
        var current = 0, most = 0
        for (_, change) in events.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
            current += change
            most = max(most, current)
        }
        return most
    }

    /// When the upstream's failed answers ended, earliest first.
    static func failureEnds(_ recording: UpstreamRecording) -> [Date] {
        recording.requests.filter { if case .answered(let code) = $0.outcome { return code >= 500 } else { return false } }.compactMap(\.ended).sorted()
    }
}
