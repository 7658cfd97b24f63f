import Foundation
import Grading
import Testing

/// A check waiting on a handler that takes its time says so while it waits: the grader
/// tells its events what the check waits for once the wait has lasted.
@Suite struct CheckWaitTests {
    static let manifest = """
        title: Wait probe
        checks: wait-probe
        program: server
        ready_seconds: 5
        limits: {stage_seconds: 60, total_seconds: 120}
        stages:
          - {id: only, name: Only}
        """

    static let registry = PieceRegistry([Piece(id: "wait-probe", suites: [CheckSuite(id: "wait-probe", stages: [
        "only": [
            Check("quick", "GET /quick answers") { context in
                _ = try await context.http().exchange(HTTPRequest("GET", "/quick"))
            },
            Check("slow", "GET /slow answers") { context in
                _ = try await context.http().exchange(HTTPRequest("GET", "/slow"))
            },
        ],
    ])])])

    /// Signalled when the grader announces the wait for `/slow`.
    static let announcedSlow = DispatchSemaphore(value: 0)

    /// Answers every request with 200; `/slow` only once the grader announced that it waits
    /// for it (or after 3.4 s, within the check's 5 s, when it never does), so how busy the
    /// machine is decides nothing.
    static let server = InProcessServer { port, _ in
        let listener = try ThreadedListener(port: port, name: "wait-probe") { connection in
            var request: [UInt8] = []
            while !request.containsHeaderEnd, let bytes = connection.receive() { request += bytes }
            if String(decoding: request, as: UTF8.self).hasPrefix("GET /slow ") {
                _ = CheckWaitTests.announcedSlow.wait(timeout: .now() + 3.4)
            }
            _ = connection.send(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        }
        return InProcessServer.Instance { await listener.stop() }
    }

    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var waits: [(check: String, what: String)] = []
        func add(_ event: Grader.Event) {
            if case .checkWaiting(let check, _, let what) = event {
                lock.withLock { waits.append((check, what)) }
                if what.contains("GET /slow") { CheckWaitTests.announcedSlow.signal() }
            }
        }
        var all: [(check: String, what: String)] { lock.withLock { waits } }
    }

    @Test func aSlowAnswerIsAnnouncedWithWhatTheCheckWaitsFor() async throws {
        let exercise = try ExerciseManifest.parse(Self.manifest, id: "wait-probe", file: "wait-probe/exercise.yaml")
        let events = Events()
        let grader = Grader(registry: Self.registry, seed: 1, runOptions: SubmissionRun.Options())
        let result = try await grader.grade(exercise: exercise, server: Self.server, name: "slow") { events.add($0) }
        #expect(result.passed, "\(result.summary)")
        // (Whether the quick check is announced depends on how busy the machine is: not asserted.)
        let waits = events.all
        let announced = waits.contains { (wait: (check: String, what: String)) -> Bool in
            wait.check == "GET /slow answers" && wait.what == "waiting for the response to GET /slow (at most 5 s)"
        }
        #expect(announced, "\(waits)")
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
