import Foundation
import Grading
@testable import PipelinePiece
import Testing

/// The instrumented upstream against curl on loopback: what it answers, what it records,
/// and how it fails. Each test starts its own upstream on a free port and stops it, also
/// when an expectation fails.
@Suite struct UpstreamServerTests {
    static func withUpstream(_ settings: UpstreamSettings, _ body: (UpstreamServer, String) async throws -> Void) async throws {
        let upstream = try await UpstreamServer.start(port: 0, settings: settings)
        do {
            try await body(upstream, "http://127.0.0.1:\(upstream.port)")
        } catch {
            await upstream.stop()
            throw error
        }
        await upstream.stop()
    }

    /// Waits until every recorded request has ended: a client can read the whole answer
    /// before the upstream's write completes and it records the end.
    static func settle(_ upstream: UpstreamServer) async {
        _ = await upstream.wait(seconds: 10) { $0.requests.allSatisfy { $0.ended != nil } }
    }

    @Test func answersWorkWithTwiceTheItemAndRecordsIt() async throws {
        try await Self.withUpstream(UpstreamSettings(latency: 0.03)) { upstream, url in
            let result = try await Curl.run(["--include", "\(url)/work/21"])
            await Self.settle(upstream)
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("HTTP/1.1 200 OK"))
            #expect(result.stdout.lowercased().contains("content-type: application/json"))
            #expect(result.stdout.hasSuffix(#"{"n":21,"result":42}"#))
            let recording = upstream.recording
            #expect(recording.requests.count == 1)
            let request = try #require(recording.requests.first)
            #expect(request.item == 21 && request.attempt == 1 && request.connection == 1 && request.method == "GET")
            #expect(request.outcome == .answered(200))
            #expect((request.seconds ?? 0) >= 0.03)
            #expect(recording.connectionsOpened == 1 && recording.mostInFlight == 1)
        }
    }

    @Test func otherPathsAre404AndNotItems() async throws {
        try await Self.withUpstream(UpstreamSettings()) { upstream, url in
            let result = try await Curl.run(["--write-out", " %{http_code}", "\(url)/work/seven", "\(url)/jobs/3"])
            await Self.settle(upstream)
            #expect(result.stdout.contains(" 404") && !result.stdout.contains(" 200"))
            #expect(upstream.recording.requests.map(\.item) == [nil, nil])
            #expect(upstream.recording.requests.map(\.outcome) == [.answered(404), .answered(404)])
            #expect(upstream.recording.arrivalOrder.isEmpty)
        }
    }

    @Test func keepAliveRequestsShareAConnection() async throws {
        try await Self.withUpstream(UpstreamSettings()) { upstream, url in
            let result = try await Curl.run((1...5).map { "\(url)/work/\($0)" })
            await Self.settle(upstream)
            #expect(result.stdout == (1...5).map { #"{"n":\#($0),"result":\#(2 * $0)}"# }.joined())
            #expect(upstream.recording.connectionsOpened == 1)
            #expect(Set(upstream.recording.requests.map(\.connection)) == [1])
            #expect(upstream.recording.arrivalOrder == [1, 2, 3, 4, 5])
            let requests = upstream.recording.requests
            #expect(!upstream.recording.closedAfter(requests[0]), "the connection went on to carry request 2")
        }
    }

    /// A client that abandons a request closes its connection; the recording says when, so a
    /// check can tell an answer read from one written to a connection the client had left.
    @Test func recordsWhenEachConnectionClosed() async throws {
        try await Self.withUpstream(UpstreamSettings(latency: 0.01)) { upstream, url in
            _ = try await Curl.run(["\(url)/work/1"])
            _ = try await Curl.run(["\(url)/work/1"])
            await Self.settle(upstream)
            #expect(await upstream.wait(seconds: 10) { $0.connectionsClosed.count == 2 })
            let recording = upstream.recording
            #expect(recording.connectionsOpened == 2 && Set(recording.connectionsClosed.keys) == [1, 2])
            let (first, second) = (recording.requests[0], recording.requests[1])
            #expect(recording.closedAfter(first) && recording.closedAfter(second), "curl closed each connection after its one request")
            #expect(recording.connectionsClosed[2]! >= second.arrived)
        }
    }

    @Test func countsWhatIsInFlightAtOnce() async throws {
        try await Self.withUpstream(UpstreamSettings(latency: 0.3)) { upstream, url in
            let urls = (1...12).map { "\(url)/work/\($0)" }
            _ = try await Curl.parallel(urls, most: 3)
            await Self.settle(upstream)
            // At most curl's 3; fewer only if curl were slow to start them (a loaded machine).
            #expect((2...3).contains(upstream.recording.mostInFlight))
            #expect(upstream.recording.requests.count == 12)
            await upstream.reset()
            _ = try await Curl.parallel(urls, most: 12)
            await Self.settle(upstream)
            // curl opens its connections as fast as it can; with 300 ms each, most of the 12 overlap.
            #expect((4...12).contains(upstream.recording.mostInFlight))
            #expect(upstream.recording.connectionsOpened == 12)
        }
    }

    @Test func jitterIsSeededSoLaterItemsOftenFinishFirst() async throws {
        let settings = UpstreamSettings(latency: 0.1, jitter: 0.08, seed: 7)
        let latencies = (1...20).map { settings.latency(item: $0, attempt: 1) }
        #expect(latencies == (1...20).map { UpstreamSettings(latency: 0.1, jitter: 0.08, seed: 7).latency(item: $0, attempt: 1) })
        #expect(latencies != (1...20).map { UpstreamSettings(latency: 0.1, jitter: 0.08, seed: 8).latency(item: $0, attempt: 1) })
        #expect(latencies.allSatisfy { (0.02...0.18).contains($0) })
        #expect(latencies != latencies.sorted())
        try await Self.withUpstream(settings) { upstream, url in
            _ = try await Curl.parallel((1...20).map { "\(url)/work/\($0)" }, most: 20)
            await Self.settle(upstream)
            let requests = upstream.recording.requests
            let byEnd = requests.sorted { ($0.ended ?? .distantFuture) < ($1.ended ?? .distantFuture) }.compactMap(\.item)
            #expect(Set(byEnd) == Set(1...20))
            #expect(byEnd != requests.compactMap(\.item), "with jitter the answers end in another order than they arrived")
        }
    }

    @Test func failsTheItemsAskedWithTheStatusAsked() async throws {
        var settings = UpstreamSettings()
        settings.failures = [2: UpstreamFailure(.status(503)), 3: UpstreamFailure(.status(500)), 4: UpstreamFailure(.status(404))]
        try await Self.withUpstream(settings) { upstream, url in
            let result = try await Curl.run(["--write-out", " %{http_code}\\n"] + (1...4).map { "\(url)/work/\($0)" })
            await Self.settle(upstream)
            let codes = result.stdout.split(separator: "\n").map { $0.split(separator: " ").last.map(String.init) ?? "" }
            #expect(codes == ["200", "503", "500", "404"])
            #expect(upstream.recording.requests.map(\.outcome) == [.answered(200), .answered(503), .answered(500), .answered(404)])
        }
    }

    @Test func aFailureForTheFirstAttemptsOnlyLetsARetrySucceedAndRecordsTheGap() async throws {
        var settings = UpstreamSettings(latency: 0.01)
        settings.failures = [5: UpstreamFailure(.status(503), attempts: 2)]
        try await Self.withUpstream(settings) { upstream, url in
            var codes: [String] = []
            for _ in 1...3 {
                let result = try await Curl.run(["--write-out", "%{http_code}", "--output", "/dev/null", "\(url)/work/5"])
                await Self.settle(upstream)
                codes.append(result.stdout)
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            #expect(codes == ["503", "503", "200"])
            let attempts = upstream.recording.attempts(of: 5)
            #expect(attempts.map(\.attempt) == [1, 2, 3])
            #expect(attempts.map(\.outcome) == [.answered(503), .answered(503), .answered(200)])
            #expect(upstream.recording.retriedItems == [5: 3])
            let gaps = upstream.recording.retryGaps(of: 5)
            #expect(gaps.count == 2 && gaps.allSatisfy { $0 >= 0.15 }, "the test waits 200 ms between attempts: \(gaps)")
        }
    }

    @Test func aHangIsRecordedAsTheClientGoingAway() async throws {
        var settings = UpstreamSettings()
        settings.failures = [9: UpstreamFailure(.hang)]
        try await Self.withUpstream(settings) { upstream, url in
            let result = try await Curl.run(["--max-time", "0.5", "\(url)/work/9"])
            await Self.settle(upstream)
            #expect(result.status == 28, "curl times out: \(result.stderr)")
            #expect(await upstream.wait(seconds: 10) { $0.requests.first?.ended != nil })
            let request = try #require(upstream.recording.requests.first)
            #expect(request.clientWentAway)
            #expect(request.outcome == .clientWentAway && request.ended != nil)
            #expect(upstream.recording.inFlight(at: Date()).isEmpty)
        }
    }

    @Test func aResetEndsTheConnectionWithoutAnAnswer() async throws {
        var settings = UpstreamSettings()
        settings.failures = [6: UpstreamFailure(.reset)]
        try await Self.withUpstream(settings) { upstream, url in
            let result = try await Curl.run(["\(url)/work/6"])
            await Self.settle(upstream)
            #expect(result.status == 56, "curl: recv failure: connection reset by peer: \(result.stderr)")
            #expect(upstream.recording.requests.map(\.outcome) == [.reset])
        }
    }

    @Test func aSlowBodyArrivesWholeButSlowly() async throws {
        var settings = UpstreamSettings()
        settings.failures = [8: UpstreamFailure(.slowBody(0.4))]
        try await Self.withUpstream(settings) { upstream, url in
            let result = try await Curl.run(["--write-out", " %{time_starttransfer} %{time_total}", "\(url)/work/8"])
            await Self.settle(upstream)
            let parts = result.stdout.split(separator: " ")
            #expect(parts.first == #"{"n":8,"result":16}"#)
            let total = Double(parts.last ?? "") ?? 0
            #expect(total >= 0.35)
            #expect(upstream.recording.requests.map(\.outcome) == [.answered(200)])
            upstream.configure { $0.failures[10] = UpstreamFailure(.slowBody(30)) }
            let aborted = try await Curl.run(["--max-time", "1", "\(url)/work/10"])
            await Self.settle(upstream)
            #expect(aborted.status == 28)
            #expect(await upstream.wait(seconds: 10) { $0.requests.count == 2 && $0.requests[1].ended != nil })
            #expect(upstream.recording.requests[1].clientWentAway)
        }
    }

    @Test func aFailRateIsSeededAndFailsAboutItsShare() async throws {
        var settings = UpstreamSettings(seed: 42)
        settings.failRate = 0.25
        let failing = (1...400).filter { settings.failure(item: $0, attempt: 1) != nil }.count
        #expect((60...140).contains(failing), "\(failing) of 400 fail at a rate of 0.25")
        #expect(settings.failure(item: 1, attempt: 1) == settings.failure(item: 1, attempt: 1))
    }

    @Test func resetForgetsTheRecordingAndTheChangedSettings() async throws {
        try await Self.withUpstream(UpstreamSettings(latency: 0.01)) { upstream, url in
            upstream.configure { $0.failures[1] = UpstreamFailure(.status(500)) }
            _ = try await Curl.run(["\(url)/work/1"])
            await Self.settle(upstream)
            #expect(upstream.recording.requests.map(\.outcome) == [.answered(500)])
            await upstream.reset()
            #expect(upstream.recording == UpstreamRecording())
            _ = try await Curl.run(["\(url)/work/1"])
            await Self.settle(upstream)
            #expect(upstream.recording.requests.map(\.outcome) == [.answered(200)])
            #expect(upstream.recording.requests.first?.attempt == 1)
        }
    }

    @Test func serveOptionsMakeTheSettings() throws {
        let parsed = try ServiceOptionValues.parse(["--latency", "50ms", "--jitter", "40ms", "--fail-rate", "0.1", "--seed", "9",
                                                    "--fail-with", "reset", "--fail-item", "3", "--fail-item", "4:hang",
                                                    "--fail-item", "5:500:2", "--item-latency", "7:300ms"],
                                                   options: PipelinePiece.service.options)
        let settings = try UpstreamOptions.settings(parsed.values, seed: 1)
        #expect(settings.latency == 0.05 && settings.jitter == 0.04 && settings.failRate == 0.1 && settings.seed == 9)
        #expect(settings.failRateKind == .reset)
        #expect(settings.failures == [3: UpstreamFailure(.status(503)), 4: UpstreamFailure(.hang), 5: UpstreamFailure(.status(500), attempts: 2)])
        #expect(settings.latencyByItem == [7: 0.3])
        #expect(throws: ServiceOptionError.self) { try UpstreamOptions.settings(ServiceOptionValues(["fail-with": ["teapot"]]), seed: 1) }
    }

    /// The issue's measurement: 200 requests in flight at once must not stretch the
    /// configured latency. Prints the figures; asserts only that every request was answered
    /// (a timed bound would break on a loaded machine).
    @Test func timingAccuracyUnder200ConcurrentRequests() async throws {
        try await Self.withUpstream(UpstreamSettings(latency: 0.05)) { upstream, url in
            let result = try await Curl.parallel((1...200).map { "\(url)/work/\($0)" }, most: 200)
            await Self.settle(upstream)
            #expect(result.status == 0, "\(result.stderr)")
            let recording = upstream.recording
            #expect(recording.requests.count == 200 && recording.requests.allSatisfy { $0.outcome == .answered(200) })
            let late = recording.requests.compactMap(\.seconds).map { ($0 - 0.05) * 1000 }.sorted()
            let mean = late.reduce(0, +) / Double(max(1, late.count))
            print(String(format: "upstream timing, 200 concurrent at 50 ms: most in flight %d, recorded latency minus 50 ms: min %.2f, median %.2f, mean %.2f, p99 %.2f, max %.2f ms",
                         recording.mostInFlight, late.first ?? 0, late[late.count / 2], mean, late[late.count * 99 / 100], late.last ?? 0))
        }
    }
}
