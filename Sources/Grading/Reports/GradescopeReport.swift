import Foundation

/// Gradescope's autograder `results.json`, one per submission.
///
/// Gradescope shows this file to the learner, so it is written with hidden stages in mind:
/// their tests are `after_published` and carry only what the model already holds for them
/// (the generic message), and the program's own output is left out whenever a hidden stage
/// ran, because a program that echoes its input would reveal the hidden inputs through it.
public enum GradescopeReport {
    /// The top level of `results.json`. Field names are Gradescope's.
    public struct Results: Codable, Equatable, Sendable {
        public var score: Double
        public var maxScore: Double
        public var executionTime: Double
        public var output: String
        public var visibility: String
        public var stdoutVisibility: String
        public var tests: [Test]

        enum CodingKeys: String, CodingKey {
            case score, output, visibility, tests
            case maxScore = "max_score"
            case executionTime = "execution_time"
            case stdoutVisibility = "stdout_visibility"
        }
    }

    /// One entry of `tests[]`.
    public struct Test: Codable, Equatable, Sendable {
        public var name: String
        /// "stage.check", 1-based: "2.3".
        public var number: String
        public var score: Double
        public var maxScore: Double
        /// "passed" or "failed".
        public var status: String
        public var output: String
        /// "visible", or "after_published" for hidden stages.
        public var visibility: String

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, visibility
            case maxScore = "max_score"
        }
    }

    /// The model of `results.json` for one submission.
    public static func results(_ result: SubmissionResult) -> Results {
        var tests: [Test] = []
        if let failure = result.startFailure {
            tests.append(Test(name: "Build and start", number: "0.1", score: 0, maxScore: 0, status: "failed",
                              output: "\(failure.sentence):\n\(failure.reason)", visibility: "visible"))
        }
        var checks: [CheckResult] = []
        for stage in result.stages {
            for (index, check) in stage.checks.enumerated() {
                tests.append(test(check, number: "\(stage.position).\(index + 1)", in: stage, of: result))
                checks.append(check)
            }
        }
        let first = tests.count - checks.count
        let points = Points.rounded(checks)
        for (offset, (score, maxScore)) in points.enumerated() {
            tests[first + offset].score = score
            tests[first + offset].maxScore = maxScore
        }
        return Results(score: Points.sum(points.map(\.score)), maxScore: Points.sum(points.map(\.maxScore)),
                       executionTime: result.durationSeconds,
                       output: overview(result), visibility: "visible", stdoutVisibility: "hidden", tests: tests)
    }

    /// `results.json` itself: pretty printed with sorted keys, so two runs diff cleanly.
    public static func json(_ result: SubmissionResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(results(result)), as: UTF8.self) + "\n"
    }

    private static func test(_ check: CheckResult, number: String, in stage: StageResult, of result: SubmissionResult) -> Test {
        let output: String
        switch check.status {
        case .passed: output = "passed"
        case .failed, .error: output = check.failure?.description ?? check.status.rawValue
        case .notRun: output = result.whyNotRun(check, in: stage)
        }
        return Test(name: "\(stage.name): \(check.name)", number: number, score: check.score, maxScore: check.maxScore,
                    status: check.status == .passed ? "passed" : "failed", output: output,
                    visibility: stage.hidden ? "after_published" : "visible")
    }

    /// The text above the tests: the summary line, the sandbox, and the program's output
    /// unless a hidden stage ran.
    private static func overview(_ result: SubmissionResult) -> String {
        var parts = [result.summary]
        if result.mode == .allStages {
            parts.append("Every stage was graded, each after a failed one from a fresh start of your program (partial credit).")
        }
        if !result.sandbox.enabled {
            parts.append("Not sandboxed: \(result.sandbox.note)")
        }
        let hiddenRan = result.stages.contains { $0.hidden && $0.status != .notRun }
        let output = result.programOutput.text
        if hiddenRan {
            parts.append("Your program's output is not shown because hidden checks ran.")
        } else if !output.isEmpty {
            parts.append("Your program's output:\n\(output)")
        }
        return parts.joined(separator: "\n\n")
    }
}
