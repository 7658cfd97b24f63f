import Foundation
import Testing
@testable import Grading

@Suite struct GradescopeReportTests {
    /// Checks a `results.json` against Gradescope's autograder specification with a real
    /// JSON parser (Python's, whose types are exact: a bool is not a number there): known
    /// field names only, the required ones present, each of the spec's type. Prints "ok"
    /// or the first problem.
    static let specCheck = #"""
    import json, re, sys
    doc = json.load(sys.stdin)
    def number(v): return isinstance(v, (int, float)) and not isinstance(v, bool)
    top = {"score": number, "max_score": number, "execution_time": number, "output": lambda v: isinstance(v, str),
           "visibility": lambda v: v in ("hidden", "after_due_date", "after_published", "visible"),
           "stdout_visibility": lambda v: v in ("hidden", "after_due_date", "after_published", "visible"),
           "tests": lambda v: isinstance(v, list)}
    test = {"name": lambda v: isinstance(v, str) and v != "", "number": lambda v: isinstance(v, str) and re.fullmatch(r"\d+\.\d+", v),
            "score": number, "max_score": number, "status": lambda v: v in ("passed", "failed"),
            "output": lambda v: isinstance(v, str), "visibility": lambda v: v in ("hidden", "after_due_date", "after_published", "visible")}
    def check(obj, spec, where):
        if not isinstance(obj, dict): sys.exit(f"{where}: not an object")
        for key in obj:
            if key not in spec: sys.exit(f"{where}: unknown field {key}")
        for key, valid in spec.items():
            if key not in obj: sys.exit(f"{where}: missing {key}")
            if not valid(obj[key]): sys.exit(f"{where}: bad {key}: {obj[key]!r}")
    check(doc, top, "top")
    for i, t in enumerate(doc["tests"]): check(t, test, f"tests[{i}]")
    if abs(sum(t["score"] for t in doc["tests"]) - doc["score"]) > 1e-9: sys.exit("score is not the sum of the tests")
    print("ok")
    """#

    static func specProblems(_ json: String) throws -> String? {
        guard ExternalTool.require("python3") else { return nil }
        let run = try ExternalTool.run(["python3", "-c", specCheck], input: json)
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["ada", "bob", "carol"])
    func everyResultsFileFollowsTheSpecFieldByField(learner: String) throws {
        let result = try #require(ReportFixture.all.first { $0.learner == learner })
        #expect(try Self.specProblems(GradescopeReport.json(result)) == "ok")
    }

    @Test func theSpecCheckCatchesAWrongType() throws {
        let wrong = #"{"score": "3", "max_score": 7, "execution_time": 1, "output": "", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}"#
        #expect(try Self.specProblems(wrong) == "top: bad score: '3'")
    }

    @Test func testsAreNumberedStageDotCheckWithTheirPoints() throws {
        let results = GradescopeReport.results(ReportFixture.ada)
        #expect(results.score == 4 && results.maxScore == 12)
        #expect(results.executionTime == 12.3456)
        #expect(results.visibility == "visible" && results.stdoutVisibility == "hidden")
        #expect(results.tests.map(\.number) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"])
        let failed = results.tests[3]
        #expect(failed == GradescopeReport.Test(name: "Create users: Create users two", number: "2.2", score: 0, maxScore: 2,
                                                status: "failed", output: ReportFixture.failure.description, visibility: "visible"))
        #expect(results.tests[0].status == "passed" && results.tests[0].output == "passed")
        #expect(results.tests[6].output == "not run: stage 2 'Create users' failed")
        #expect(results.output.hasPrefix("stage 2 'Create users': Create users two: expected status 201, got 200 <b>"))
        #expect(results.output.contains("Your program's output:\nlistening on :8080"))
    }

    @Test func hiddenTestsWaitForPublishingAndRevealNoInputs() throws {
        let results = GradescopeReport.results(ReportFixture.bob)
        let hidden = results.tests.filter { $0.number.hasPrefix("3.") }
        #expect(hidden.count == 2)
        #expect(hidden.allSatisfy { $0.visibility == "after_published" })
        #expect(results.tests.filter { !$0.number.hasPrefix("3.") }.allSatisfy { $0.visibility == "visible" })
        #expect(hidden[1].output == ReportFixture.hiddenMessage)
        // bob's program echoed a hidden input: his output must not reach the learner.
        let json = try GradescopeReport.json(ReportFixture.bob)
        #expect(!json.contains(ReportFixture.hiddenInput))
        #expect(results.output.contains("not shown because hidden checks ran"))
    }

    @Test func aBuildFailureIsAFailedTestWithTheCompilerOutput() throws {
        let results = GradescopeReport.results(ReportFixture.carol)
        #expect(results.score == 0 && results.maxScore == 12)
        #expect(results.tests.first == GradescopeReport.Test(name: "Build and start", number: "0.1", score: 0, maxScore: 0, status: "failed",
                                                             output: "The program did not build:\nmain.go:3:1: syntax error: unexpected }\n",
                                                             visibility: "visible"))
        #expect(results.tests.dropFirst().allSatisfy { $0.status == "failed" && $0.output == "not run: the program did not build" })
    }

    /// A refused submission (a linked course.yaml, a FIFO) is said to be the submission's
    /// doing, not the program's, in every report.
    @Test func aRefusedSubmissionIsNamedAsTheSubmission() {
        let refused = ReportFixture.submission("eve", build: .refused(reason: "eve/pipe is a FIFO (named pipe)"), stages: [])
        #expect(GradescopeReport.results(refused).tests.first?.output == "The submission could not be graded:\neve/pipe is a FIFO (named pipe)")
        #expect(JUnitReport.xml(refused).contains(#"<error message="the submission could not be graded" type="error">"#))
        #expect(HTMLReport.submissionPage(refused).contains("<h3>The submission could not be graded</h3>"))
    }

    @Test func theFileUsesGradescopesFieldNames() throws {
        let json = try GradescopeReport.json(ReportFixture.ada)
        for key in ["\"score\"", "\"max_score\"", "\"execution_time\"", "\"output\"", "\"visibility\"", "\"stdout_visibility\"",
                    "\"tests\"", "\"name\"", "\"number\"", "\"status\""] {
            #expect(json.contains(key + " : "), "\(key)")
        }
        #expect(!json.contains("maxScore") && !json.contains("executionTime"))
        let decoded = try JSONDecoder().decode(GradescopeReport.Results.self, from: Data(json.utf8))
        #expect(decoded == GradescopeReport.results(ReportFixture.ada))
    }
    /// Three checks sharing 10 points: 3.333… each. Gradescope gets hundredths that add up:
    /// the maximums 3.34 + 3.33 + 3.33 = 10, and the tests' scores sum to the score shown.
    @Test(arguments: [[true, true, true], [false, true, true], [true, false, false], [false, false, false], [true, false, true]])
    func thirdsAreRoundedToHundredthsThatAddUp(passed: [Bool]) throws {
        let third = 10.0 / 3
        let checks = passed.enumerated().map { index, ok in
            CheckResult(id: "c\(index)", name: "check \(index)", status: ok ? .passed : .failed, score: ok ? third : 0, maxScore: third,
                        durationSeconds: 0, failure: ok ? nil : CheckFailure("no"))
        }
        let stage = StageResult(position: 1, id: "s", name: "S", hidden: false, status: passed.allSatisfy { $0 } ? .passed : .failed,
                                checks: checks, durationSeconds: 0)
        let results = GradescopeReport.results(ReportFixture.submission("ada", stages: [stage]))
        func hundredths(_ value: Double) -> Int { Int((value * 100).rounded()) }
        for value in [results.score, results.maxScore] + results.tests.flatMap({ [$0.score, $0.maxScore] }) {
            #expect(abs(value * 100 - (value * 100).rounded()) < 1e-9, "\(value) is in hundredths")
        }
        #expect(results.tests.map(\.maxScore) == [3.34, 3.33, 3.33])
        #expect(results.maxScore == 10)
        #expect(hundredths(results.score) == results.tests.reduce(0) { $0 + hundredths($1.score) })
        #expect(zip(results.tests, passed).allSatisfy { test, ok in ok ? test.score == test.maxScore : test.score == 0 })
        let json = try GradescopeReport.json(ReportFixture.submission("ada", stages: [stage]))
        #expect(json.range(of: #"score" : \d+\.\d{3,}"#, options: .regularExpression) == nil, "no long decimals: \(json)")
    }

    @Test func largestRemainderHandsOutTheHundredthsLost() {
        #expect(GradescopeReport.Points.largestRemainder([10.0 / 3, 10.0 / 3, 10.0 / 3]) == [334, 333, 333])
        #expect(GradescopeReport.Points.largestRemainder([1.0 / 6, 1.0 / 6, 2.0 / 3]) == [17, 17, 66])
        #expect(GradescopeReport.Points.largestRemainder([0.005, 0.005]) == [1, 0])
        #expect(GradescopeReport.Points.largestRemainder([2, 0.5, 1.25]) == [200, 50, 125])
        #expect(GradescopeReport.Points.largestRemainder([]) == [])
        #expect(GradescopeReport.Points.largestRemainder([.nan, 1]) == [0, 100])
    }
}
