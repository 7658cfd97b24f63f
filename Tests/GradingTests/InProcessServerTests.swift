import Foundation
import Grading
import TCPEchoPiece
import Testing

/// The grader's server path with servers a piece runs in-process: the tcp-echo reference
/// passes every stage (restart included) and the piece's mutant is caught, with no program
/// to build or sandbox.
struct InProcessServerTests {
    static let manifest = """
        title: Echo server
        checks: tcp-echo
        program: server
        ready_seconds: 2
        limits: {stage_seconds: 60, total_seconds: 120}
        stages:
          - {id: connect, name: One line}
          - {id: many, name: Many lines and clients}
          - {id: restart, name: Restart}
        """

    static func grader() -> Grader {
        Grader(registry: PieceRegistry([TCPEcho.piece]), seed: 11, runOptions: SubmissionRun.Options())
    }

    @Test func theReferencePassesEveryStageIncludingARestart() async throws {
        let exercise = try ExerciseManifest.parse(Self.manifest, id: "echo-server", file: "echo-server/exercise.yaml")
        guard case .server(let reference) = try #require(TCPEcho.suite.reference).source else {
            Issue.record("the echo reference runs in-process")
            return
        }
        let result = try await Self.grader().grade(exercise: exercise, server: reference, name: "reference")
        #expect(result.passed, "\(result.summary)")
        #expect(result.stages.map(\.id) == ["connect", "many", "restart"])
    }

    @Test func theSerialMutantIsCaughtByTheConcurrentClients() async throws {
        let exercise = try ExerciseManifest.parse(Self.manifest, id: "echo-server", file: "echo-server/exercise.yaml")
        let mutant = try #require(TCPEcho.suite.mutants.first { $0.name == "serial" })
        guard case .server(let server) = mutant.source else { Issue.record("the serial mutant runs in-process"); return }
        let result = try await Self.grader().grade(exercise: exercise, server: server, name: "serial")
        #expect(!result.passed)
        let many = try #require(result.stages.first { $0.id == "many" })
        let concurrent = try #require(many.checks.first { $0.id == "concurrent" })
        #expect(concurrent.status == .failed)
        #expect(concurrent.failure?.message.contains("client 2 of 8 got no answer") == true, "\(String(describing: concurrent.failure))")
        #expect(concurrent.failure?.hint?.contains("its own goroutine") == true)
        #expect(concurrent.failure?.sent?.hasSuffix("\\n") == true, "the bytes sent, escaped: \(String(describing: concurrent.failure?.sent))")
        #expect(concurrent.failure?.received == "(nothing)")
        #expect(many.checks.first { $0.id == "several-lines" }?.status == .passed, "one client at a time is served well")
    }

    /// A server that ends each answer with `\r\n` fails, and the message shows the `\r`.
    @Test func anAnswerEndingInCRLFIsShownEscaped() async throws {
        let manifest = Self.manifest.replacingOccurrences(of: "  - {id: many, name: Many lines and clients}\n  - {id: restart, name: Restart}\n", with: "")
        let exercise = try ExerciseManifest.parse(manifest, id: "echo-server", file: "echo-server/exercise.yaml")
        let crlf = InProcessServer { port, _ in
            let listener = try ThreadedListener(port: port, name: "crlf-echo") { connection in
                var pending: [UInt8] = []
                while let bytes = connection.receive() {
                    pending += bytes
                    while let end = pending.firstIndex(of: 10) {
                        guard connection.send(pending[..<end] + [13, 10]) else { return }
                        pending.removeSubrange(...end)
                    }
                }
            }
            return InProcessServer.Instance { await listener.stop() }
        }
        let result = try await Self.grader().grade(exercise: exercise, server: crlf, name: "crlf")
        let failure = try #require(result.stages.first?.checks.first?.failure)
        let sent = try #require(failure.sent)
        #expect(sent.hasSuffix("\\n") && !sent.dropLast(2).contains("\\"), "one line, escaped: \(sent)")
        #expect(failure.received == String(sent.dropLast(2)) + "\\r\\n", "the answer as it came: \(String(describing: failure.received))")
        #expect(failure.expected == sent)
        #expect(failure.message.hasSuffix("\\x0D\" back"), "\(failure.message)")
    }

    @Test func aStdioExerciseCannotBeGradedInProcess() async throws {
        let exercise = try ExerciseManifest.parse(Self.manifest.replacingOccurrences(of: "program: server", with: "program: stdio"),
                                                  id: "echo-server", file: "echo-server/exercise.yaml")
        guard case .server(let reference) = TCPEcho.suite.reference?.source else {
            Issue.record("the echo reference runs in-process")
            return
        }
        await #expect(throws: (any Error).self) {
            try await Self.grader().grade(exercise: exercise, server: reference, name: "reference")
        }
    }

    @Test func aServerThatNeverListensIsStartedOnceAndReportedWithItsDeadline() async throws {
        let manifest = Self.manifest.replacingOccurrences(of: "ready_seconds: 2", with: "ready_seconds: 0.5")
            .replacingOccurrences(of: "  - {id: connect, name: One line}\n", with: "")
        let exercise = try ExerciseManifest.parse(manifest, id: "echo-server", file: "echo-server/exercise.yaml")
        let starts = Counter()
        let silent = InProcessServer { _, _ in
            starts.increment()
            return InProcessServer.Instance {}
        }
        let result = try await Self.grader().grade(exercise: exercise, server: silent, name: "silent")
        #expect(starts.value == 1, "every check of the stage reuses the first failure instead of waiting again")
        guard case .notReady(let reason) = result.build else { Issue.record("not ready: \(result.build)"); return }
        #expect(reason.contains("within 0.5 seconds of starting, the time this exercise gives a program to get ready"), "\(reason)")
        #expect(!reason.contains("ready_seconds"), "the manifest's key is not a learner's word: \(reason)")
        #expect(result.stages[0].checks.allSatisfy { $0.status == .failed }, "\(result.stages[0].checks)")
        // The reason is said in full once; the stage's other checks point to it.
        let checks = result.stages[0].checks
        #expect(checks.count > 1 && checks.dropFirst().allSatisfy {
            $0.failure?.hint == "the program's output is shown under the check '\(checks[0].name)'"
                && $0.failure?.message.contains("\n") == false
        }, "\(checks.map { $0.failure?.description ?? "" })")
        #expect(result.stages[1].checks.first?.failure?.message == "not run: the program never became ready")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
