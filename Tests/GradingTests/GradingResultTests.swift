import Foundation
import Testing
@testable import Grading

@Suite struct GradingResultTests {
    static func result(stages: [StageResult], build: BuildOutcome = .built(seconds: 1)) -> SubmissionResult {
        SubmissionResult(exerciseID: "echo", learner: "ada", path: "subs/ada", contentHash: "ab", startedAt: Date(timeIntervalSince1970: 0),
                         durationSeconds: 2, seed: 7, sandbox: SandboxStatus(enabled: false, note: "off"), build: build,
                         stages: stages, programOutput: .empty, versions: [:])
    }

    @Test func theSummaryNamesTheFirstFailingCheck() {
        let failing = StageResult(position: 2, id: "many", name: "Many lines", hidden: false, status: .failed, checks: [
            CheckResult(id: "a", name: "keeps order", status: .passed, score: 1, maxScore: 1, durationSeconds: 0),
            CheckResult(id: "b", name: "empty lines", status: .failed, score: 0, maxScore: 2, durationSeconds: 0,
                        failure: CheckFailure("expected 3 lines, got 2\nmore detail")),
        ], durationSeconds: 0)
        let result = Self.result(stages: [
            StageResult(position: 1, id: "one", name: "One line", hidden: false, status: .passed, checks: [
                CheckResult(id: "x", name: "echo", status: .passed, score: 1, maxScore: 1, durationSeconds: 0),
            ], durationSeconds: 0),
            failing,
        ])
        #expect(result.summary == "stage 2 'Many lines': empty lines: expected 3 lines, got 2")
        #expect(result.score == 2 && result.maxScore == 4)
        #expect(!result.passed)
        #expect(Self.result(stages: [], build: .failed(reason: "main.go:3: syntax error\n")).summary == "did not build: main.go:3: syntax error")
    }

    @Test func aCutLogSaysHowMuchWasCut() {
        let log = OutputLog(head: "first\n", tail: "last\n", totalBytes: 1000, omittedBytes: 989)
        #expect(log.text == "first\n[… 989 bytes of output omitted …]\nlast\n")
        #expect(OutputLog(head: "all\n", totalBytes: 4).text == "all\n")
    }

    @Test func aFailureDescribesWhatWasSentReceivedAndExpected() {
        let failure = CheckFailure("wrong line", sent: "a\nb", received: "", expected: "a", hint: "flush stdout")
        #expect(failure.description == "wrong line\nsent:\n    a\n    b\nreceived:\n    (empty)\nexpected:\n    a\nhint: flush stdout")
    }
}
