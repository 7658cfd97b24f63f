import Foundation

/// JUnit XML for CI systems and LMSs (Jenkins, GitLab, GitHub test reporters): one
/// `<testsuite>` per submission, named by its folder's slot (`ReportFileNames`), with the
/// learner's name as a property beside it, and one `<testcase>` per check.
///
/// The dialect is the one the Jenkins xUnit plugin's `junit-10.xsd` describes, the most
/// widely consumed: counts on `<testsuite>` (`tests`, `failures`, `errors`, `skipped`),
/// times in seconds with at most three decimals, and no `skipped` count on `<testsuites>`,
/// which that schema does not allow.
public enum JUnitReport {
    /// The report for a class: every submission of one exercise.
    public static func xml(_ results: [SubmissionResult], exercise: String) -> String {
        let suites = zip(results, ReportFileNames.slots(for: results)).map { Suite($0, slot: $1) }
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        lines.append(element("testsuites", [
            ("name", exercise),
            ("tests", String(suites.reduce(0) { $0 + $1.cases.count })),
            ("failures", String(suites.reduce(0) { $0 + $1.count(.failure) })),
            ("errors", String(suites.reduce(0) { $0 + $1.count(.error) })),
            ("time", seconds(results.reduce(0) { $0 + $1.durationSeconds })),
        ], close: suites.isEmpty))
        for suite in suites { lines += suite.xmlLines(indent: "  ") }
        if !suites.isEmpty { lines.append("</testsuites>") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report for one submission.
    public static func xml(_ result: SubmissionResult) -> String {
        xml([result], exercise: result.exerciseID)
    }

    /// What became of one testcase.
    enum Outcome: Equatable {
        case passed
        case failure(message: String, body: String)
        case error(message: String, body: String)
        case skipped(message: String)
    }

    /// One `<testcase>`, before it is written.
    struct Case {
        let classname: String
        let name: String
        let seconds: Double
        let outcome: Outcome
    }

    /// One submission as a `<testsuite>`: a first testcase for getting the program built and
    /// ready (so a build failure shows up as an error CI counts), then one per check.
    struct Suite {
        let result: SubmissionResult
        /// The suite's name: the submission folder's slot, the same on every run.
        let slot: String
        let cases: [Case]

        init(_ result: SubmissionResult, slot: String) {
            self.result = result
            self.slot = slot
            var cases = [Self.startCase(result)]
            for stage in result.stages {
                for check in stage.checks {
                    cases.append(Case(classname: "\(result.exerciseID).\(stage.id)", name: check.name,
                                      seconds: check.durationSeconds,
                                      outcome: Self.outcome(of: check, in: stage, of: result)))
                }
            }
            self.cases = cases
        }

        private static func startCase(_ result: SubmissionResult) -> Case {
            let classname = "\(result.exerciseID).setup"
            if let failure = result.startFailure {
                return Case(classname: classname, name: "build and start", seconds: 0,
                            outcome: .error(message: "\(failure.subject) \(failure.title)", body: failure.reason))
            }
            var seconds = 0.0
            if case .built(let built) = result.build { seconds = built }
            return Case(classname: classname, name: "build and start", seconds: seconds, outcome: .passed)
        }

        private static func outcome(of check: CheckResult, in stage: StageResult, of result: SubmissionResult) -> Outcome {
            switch check.status {
            case .passed:
                return .passed
            case .failed:
                // For hidden stages `failure` already holds only the generic message.
                return .failure(message: check.failure?.message.firstLine ?? "failed",
                                body: (check.failure?.description ?? "failed") + programOutput(check))
            case .error:
                return .error(message: check.failure?.message.firstLine ?? "the check could not complete",
                              body: (check.failure?.description ?? "the check could not complete") + programOutput(check))
            case .notRun:
                return .skipped(message: result.whyNotRun(check, in: stage))
            }
        }

        private static func programOutput(_ check: CheckResult) -> String {
            check.programOutput.map { "\nthe program's output meanwhile:\n" + $0 } ?? ""
        }

        func count(_ kind: OutcomeKind) -> Int {
            cases.filter { OutcomeKind($0.outcome) == kind }.count
        }

        func xmlLines(indent: String) -> [String] {
            let inner = indent + "  "
            var lines = [indent + JUnitReport.element("testsuite", [
                ("name", slot),
                ("package", result.exerciseID),
                ("tests", String(cases.count)),
                ("failures", String(count(.failure))),
                ("errors", String(count(.error))),
                ("skipped", String(count(.skipped))),
                ("time", JUnitReport.seconds(result.durationSeconds)),
                ("timestamp", ReportDates.iso8601(result.startedAt)),
            ], close: false)]
            lines.append(inner + "<properties>")
            for (name, value) in properties {
                lines.append(inner + "  " + JUnitReport.element("property", [("name", name), ("value", value)], close: true))
            }
            lines.append(inner + "</properties>")
            for testcase in cases { lines.append(contentsOf: JUnitReport.lines(for: testcase, indent: inner)) }
            let output = result.programOutput.text
            if !output.isEmpty {
                lines.append(inner + "<system-out>" + MarkupEscaping.text(output) + "</system-out>")
            }
            lines.append(indent + "</testsuite>")
            return lines
        }

        /// What an instructor needs to reproduce the run: where, which seed, which tools.
        private var properties: [(String, String)] {
            var list = [
                ("learner", result.learner),
                ("path", result.path),
                ("seed", String(result.seed)),
                ("mode", result.mode.rawValue),
                ("sandbox", (result.sandbox.enabled ? "on" : "off") + (result.sandbox.note.isEmpty ? "" : ": \(result.sandbox.note)")),
                ("contentHash", result.contentHash),
                ("score", SubmissionResult.points(result.score, of: result.maxScore)),
            ]
            for key in result.versions.keys.sorted() {
                list.append(("version.\(key)", result.versions[key] ?? ""))
            }
            return list
        }
    }

    /// The kind of an outcome, for counting.
    enum OutcomeKind: Equatable {
        case passed, failure, error, skipped

        init(_ outcome: Outcome) {
            switch outcome {
            case .passed: self = .passed
            case .failure: self = .failure
            case .error: self = .error
            case .skipped: self = .skipped
            }
        }
    }

    private static func lines(for testcase: Case, indent: String) -> [String] {
        let open = element("testcase", [("classname", testcase.classname), ("name", testcase.name),
                                        ("time", seconds(testcase.seconds))], close: testcase.outcome == .passed)
        switch testcase.outcome {
        case .passed:
            return [indent + open]
        case .failure(let message, let body):
            return [indent + open, indent + "  " + detail("failure", message: message, type: "failed", body: body), indent + "</testcase>"]
        case .error(let message, let body):
            return [indent + open, indent + "  " + detail("error", message: message, type: "error", body: body), indent + "</testcase>"]
        case .skipped(let message):
            return [indent + open, indent + "  " + element("skipped", [("message", message)], close: true), indent + "</testcase>"]
        }
    }

    private static func detail(_ name: String, message: String, type: String, body: String) -> String {
        element(name, [("message", message), ("type", type)], close: false) + MarkupEscaping.text(body) + "</\(name)>"
    }

    /// `<name a="…">`, or `<name a="…"/>` when `close`.
    static func element(_ name: String, _ attributes: [(String, String)], close: Bool) -> String {
        let rendered = attributes.map { " \($0.0)=\"\(MarkupEscaping.attribute($0.1))\"" }.joined()
        return "<\(name)\(rendered)\(close ? "/>" : ">")"
    }

    /// Seconds with exactly three decimals: the schema's time pattern allows no more, no
    /// exponent and no sign.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0.000" }
        return String(format: "%.3f", value)
    }
}
