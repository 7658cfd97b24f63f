import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The two checks of `pipeline-resilient` that drive the program by hand: the breaker (input
/// written a line at a time while the upstream fails, then recovers) and SIGTERM.
extension Resilience {
    /// Writes 1, 2, 3 … one line every 100 ms, input kept open, WORKERS=2, while the upstream
    /// answers 503 to everything; 0.5 s after the 5th failure it recovers (200 after 200 ms),
    /// and once it has answered 5 requests the input ends. Then, from the recording: after
    /// the 5th failure the program's requests stop for the cool-down (a gap of 0.8 s or more
    /// that begins within 0.3 s of it: requests let through before the program saw that
    /// failure may still come), a single probe comes after it, items complete once the
    /// upstream has recovered, and each line says what the upstream did for its item.
    static func expectBreaker(_ context: CheckContext) async throws {
        let upstream = try context.service(PipelinePiece.key)
        upstream.configure { settings in
            settings.latency = 0.02
            settings.failRate = 1
            settings.failRateKind = .status(503)
        }
        let program = try context.start(environment: ["WORKERS": "2"])
        let sent = "one integer every 100 ms (1, 2, 3 …), the input kept open, WORKERS=2; the upstream answers 503 to everything, "
            + "until 0.5 s after the 5th failure it recovers (200 after 400 ms)"
        var written: [Int] = []
        var fifth: Date?
        var healed: Date?
        let started = Date()
        while Date().timeIntervalSince(started) < 20 {
            let n = written.count + 1
            guard program.write("\(n)\n") else { break }
            written.append(n)
            let recording = upstream.recording
            if fifth == nil { fifth = failureEnds(recording).dropFirst(threshold - 1).first }
            if let fifth, healed == nil, Date() >= fifth.addingTimeInterval(0.5) {
                upstream.configure { $0.failRate = 0; $0.latency = 0.4 }
                healed = Date()
            }
            if let healed, recording.requests.filter({ $0.arrived > healed && $0.outcome == .answered(200) }).count >= 5 { break }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        program.closeInput()
        let termination = await program.waitForExit(seconds: 10)
        await program.stop()
        let recording = upstream.recording
        let output = program.stdout.snapshot().text
        guard let fifth else {
            throw CheckFailure("the upstream saw \(recording.requests.count) request\(recording.requests.count == 1 ? "" : "s") in 20 s while your program's input stayed open",
                               sent: sent, received: Basics.brief(program.combinedOutput.snapshot().text), expected: "a request for each line soon after it is written",
                               hint: "start each item as its line is read: a program that reads all its input first waits here for an end that does not come")
        }
        let arrivals = recording.requests.map(\.arrived).sorted()
        guard let probeArrival = quietPause(after: fifth, arrivals: arrivals) else {
            let during = arrivals.filter { $0 > fifth && $0.timeIntervalSince(fifth) < coolDown }.count
            throw CheckFailure("after the 5th failure in a row, \(during) request\(during == 1 ? "" : "s") reached the upstream within the next second",
                               sent: sent, expected: "the breaker open after 5 failures in a row: no request for 1 s (the check allows a pause of 0.8 s that begins within 0.3 s)",
                               hint: "count failed attempts in a row (5xx, broken connection, timeout; any answer below 500 resets the count); at 5, refuse every call for 1 s")
        }
        guard let probeArrival, let probe = recording.requests.first(where: { $0.arrived == probeArrival }) else {
            throw CheckFailure("after the 5th failure in a row no request reached the upstream again", sent: sent, received: Basics.brief(output),
                               expected: "after the 1 s cool-down, one call let through as a probe",
                               hint: "once the cool-down has passed, let one call through; its success closes the breaker")
        }
        // A probe the client abandoned at its deadline (a busy machine) is seen ending late by
        // the upstream, after the next probe may have come: only an answered one is judged.
        let alongside = probe.clientWentAway ? [] : recording.requests.filter { $0.arrived > probe.arrived && $0.arrived < (probe.ended ?? .distantFuture) }
        guard alongside.isEmpty else {
            throw CheckFailure("\(alongside.count) more request\(alongside.count == 1 ? "" : "s") went out while the first one after the cool-down was in flight",
                               sent: sent, expected: "one probe after the cool-down, the others refused until it succeeds",
                               hint: "half-open: let one call through and refuse the rest until its answer comes")
        }
        let recovered = healed.map { moment in recording.requests.filter { $0.arrived > moment && $0.outcome == .answered(200) }.count } ?? 0
        guard recovered >= 5 else {
            throw CheckFailure("after the upstream recovered, it answered \(recovered) request\(recovered == 1 ? "" : "s") of your program in the time the check gave",
                               sent: sent, received: Basics.brief(output), expected: "the breaker closed by a successful probe, and the items written after it done",
                               hint: "a probe that succeeds closes the breaker and resets the count of failures")
        }
        let expected = written.map { n in
            recording.attempts(of: n).contains { $0.outcome == .answered(200) } ? "\(n) \(2 * n)" : "\(n) error …"
        }
        let lines = ProgramRunLines.split(output)
        let good = lines.count == expected.count && zip(lines, expected).allSatisfy { line, want in
            want.hasSuffix("error …") ? line.hasPrefix(String(want.dropLast(1))) : line == want
        }
        guard good else {
            throw CheckFailure("the output is not one line per item, in input order, saying what the upstream did for it", sent: sent,
                               received: Basics.brief(output), expected: Basics.brief(expected.joined(separator: "\n")),
                               hint: "an item refused by the open breaker or out of attempts gets \"n error <why>\"; one the upstream answered gets its result")
        }
        guard let termination, case .exited(let code) = termination, code != 0 else {
            throw CheckFailure("the program \(termination.map(\.description) ?? "did not exit within 10 s of the end of its input")", sent: sent,
                               received: Basics.brief(output), expected: "exit status 1 once every line is printed: items failed")
        }
    }

    /// Whether the requests paused for the cool-down after the failure at `fifth`: a gap of
    /// at least 0.8 s between arrivals that begins at `fifth` or at an arrival within 0.3 s
    /// after it (a request let through before the program saw that failure). nil: no such
    /// pause; .some(nil): a pause and nothing after it; .some(date): the arrival that ended it,
    /// the probe.
    static func quietPause(after fifth: Date, arrivals: [Date]) -> Date?? {
        let starts = [fifth] + arrivals.filter { $0 > fifth && $0.timeIntervalSince(fifth) <= 0.3 }
        for start in starts {
            let next = arrivals.first { $0 > start }
            if let next, next.timeIntervalSince(start) < coolDown - 0.2 { continue }
            return .some(next)
        }
        return nil
    }

    /// 30 items with WORKERS=3: item 2 gets a 503 and then its result, items 4 on hang.
    /// Once item 2 is done and three hanging requests are in flight, SIGTERM; a correct
    /// program would send nothing for about a second after that (until its deadlines end),
    /// so a request after the signal is the program's fault, not the machine's. Then: no
    /// request after the signal, an exit by itself with status 1 within 1 s (3 s allowed),
    /// and only correct lines printed, in input order.
    static func expectStopOnSignal(_ context: CheckContext) async throws {
        let items = Array(1...30)
        let upstream = try context.service(PipelinePiece.key)
        upstream.configure { settings in
            settings.latency = 0.02
            settings.failures[2] = UpstreamFailure(.status(503), attempts: 1)
            for n in 4...30 { settings.failures[n] = UpstreamFailure(.hang) }
        }
        let program = try context.start(environment: ["WORKERS": "3"])
        _ = program.write(Flow.lines(items))
        program.closeInput()
        let sent = "30 items, WORKERS=3: 1 and 3 answered after 20 ms, 2 after a 503 and a retry, 4 to 30 never; "
            + "SIGTERM once item 2 is done and 3 requests hang"
        let ready = await upstream.wait(seconds: 20) { recording in
            recording.attempts(of: 2).contains { $0.outcome == .answered(200) } && recording.requests.filter { $0.ended == nil }.count == 3
        }
        guard ready else {
            let seen = upstream.recording.requests.count
            await program.stop()
            throw CheckFailure("within 20 s the upstream did not see item 2 answered and 3 requests in flight (it saw \(seen) request\(seen == 1 ? "" : "s")), which the check waits for before the signal",
                               sent: sent, received: Basics.brief(program.combinedOutput.snapshot().text))
        }
        let moment = Date()
        program.signalProgram(SIGTERM)
        let termination = await program.waitForExit(seconds: 3.0)
        _ = await upstream.wait(seconds: 2) { $0.inFlight(at: Date()).isEmpty }
        await program.stop()
        let recording = upstream.recording
        let output = program.stdout.snapshot().text
        let late = recording.requests(after: moment)
        guard late.isEmpty else {
            let which = late.map(\.label)
            throw CheckFailure("\(late.count) request\(late.count == 1 ? "" : "s") reached the upstream after SIGTERM (for \(which.joined(separator: ", ")))",
                               sent: sent, expected: "no new request after the signal, retries included",
                               hint: "derive every attempt's context from the signal's (signal.NotifyContext), and select on ctx.Done() in the wait before a retry")
        }
        guard let termination else {
            throw CheckFailure("the program did not exit within 3 s of SIGTERM", sent: sent, received: Basics.brief(output),
                               expected: "an exit within 1 s, status 1", hint: "cancel what is in flight and exit once the signal's context is done, without waiting for retries")
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
                               received: Basics.brief(output), expected: "lines such as 1 2, 2 4, 3 6 for the items answered before the signal")
        }
    }
}
