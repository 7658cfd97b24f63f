import CourseEngine
import Foundation
@testable import Grading

/// Results and folders for the gradebook tests. Every result is a pure function of its
/// arguments, so a test (or the crash test's parent process) can rebuild the exact value
/// that was recorded and compare it with what the gradebook gives back.
enum GradebookFixtures {
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A graded submission exercising every part of the model. `variant` changes the
    /// outcome (which stage fails, the scores, the output), as a re-grade of edited code
    /// would. `outputBytes` pads the program output, to make a write span many pages.
    static func result(learner: String, exercise: String = "users-api", path: String? = nil, variant: Int = 0,
                       outputBytes: Int = 0) -> SubmissionResult {
        let failingStage = 2 + variant % 3 // 2, 3 (hidden) or 4: never fails from stage 5 on
        var stages: [StageResult] = []
        var failed = false
        for position in 1...5 {
            let hidden = position == 3
            let id = "stage-\(position)"
            if failed {
                stages.append(StageResult(position: position, id: id, name: "Stage \(position)", hidden: hidden, status: .notRun,
                                          checks: [CheckResult(id: "\(id)-a", name: "not run", status: .notRun, score: 0, maxScore: 2,
                                                               durationSeconds: 0)],
                                          durationSeconds: 0))
                continue
            }
            var checks = [
                CheckResult(id: "\(id)-a", name: "lists users — “ordered” by id", status: .passed, score: 1.5, maxScore: 1.5,
                            durationSeconds: 0.012_345_678_9 * Double(position)),
                CheckResult(id: "\(id)-b", name: "creates a user", status: .passed, score: 0.5, maxScore: 0.5, durationSeconds: 0.25),
            ]
            if position == failingStage {
                let failure = hidden
                    ? CheckFailure("a hidden check failed: the response did not match the contract")
                    : CheckFailure("expected status 201, got 200 (variant \(variant))",
                                   sent: "POST /api/v1/users\n{\"name\":\"Ada\",\"email\":\"ada@example.com\"}",
                                   received: "HTTP/1.1 200 OK\n\u{0}binary\u{0} body",
                                   expected: "HTTP/1.1 201 Created", hint: "return 201 from a create")
                checks[1] = CheckResult(id: "\(id)-b", name: "creates a user", status: .failed, score: 0, maxScore: 0.5,
                                        durationSeconds: 0.5, failure: failure)
                checks.append(CheckResult(id: "\(id)-c", name: "survives a restart", status: .error, score: 0, maxScore: 1,
                                          durationSeconds: 3, failure: CheckFailure("the program crashed (SIGSEGV)"),
                                          programOutput: hidden ? nil : "listening on :8080\npanic: runtime error\n\u{1B}[31mgoroutine 1\u{1B}[0m"))
                failed = true
            }
            stages.append(StageResult(position: position, id: id, name: "Stage \(position)", hidden: hidden,
                                      status: position == failingStage ? .failed : .passed, checks: checks,
                                      durationSeconds: 1.0 / 3.0 * Double(position)))
        }
        let padding = String(repeating: "log line for \(learner) ✓\n", count: outputBytes / 24 + 1)
        return SubmissionResult(
            exerciseID: exercise, learner: learner, path: path ?? "subs/\(learner)",
            contentHash: SHA256.hex(of: Array("\(learner)/\(variant)".utf8)),
            startedAt: Date(timeIntervalSinceReferenceDate: 800_000_000.123_456_789 + Double(variant) * 61.7),
            durationSeconds: 4.2 + Double(variant) / 7, seed: UInt64.max - UInt64(variant),
            sandbox: SandboxStatus(enabled: variant % 2 == 0, note: variant % 2 == 0 ? "bwrap, no network" : "bwrap is not installed"),
            build: .built(seconds: 1.25),
            stages: stages,
            programOutput: OutputLog(head: "listening on :8080\n\u{0}é\n" + (outputBytes > 0 ? padding : ""), tail: "shutting down\n",
                                     totalBytes: 10_000 + outputBytes, omittedBytes: 9_950),
            versions: ["course": "0.\(variant)", "go": "go1.19.8", "swift": "6.3"])
    }

    /// A submission that did not build: no stage ran.
    static func buildFailure(learner: String, exercise: String = "users-api") -> SubmissionResult {
        var result = result(learner: learner, exercise: exercise)
        result.build = .failed(reason: "./main.go:3:1: syntax error: non-declaration statement outside function body\n")
        result.stages = result.stages.map { stage in
            var stage = stage
            stage.status = .notRun
            stage.checks = []
            return stage
        }
        result.programOutput = .empty
        result.versions = [:]
        return result
    }

    /// A submission that built but never opened its port.
    static func neverReady(learner: String, exercise: String = "users-api") -> SubmissionResult {
        var result = buildFailure(learner: learner, exercise: exercise)
        result.build = .notReady(reason: "port 8080 did not accept connections within 10 s")
        result.stages = []
        return result
    }
}
