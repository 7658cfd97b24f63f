/// Sentences that several reports need to say about a result the same way: why a stage or
/// check did not run, and what stopped the program before any check. Kept in one place so
/// the JUnit, Gradescope and HTML reports never disagree.
extension SubmissionResult {
    /// The build or readiness problem that kept every check from running; nil when the
    /// program was built and ready.
    var startFailure: StartFailure? {
        switch build {
        case .built: return nil
        case .failed(let reason): return StartFailure(title: "did not build", reason: reason)
        case .notReady(let reason): return StartFailure(title: "never became ready", reason: reason)
        case .refused(let reason): return StartFailure(title: "could not be graded", reason: reason, subject: "the submission")
        }
    }

    /// Why `stage` did not run: the start failure, else the first earlier stage that failed
    /// (staged grading stops there).
    func whyNotRun(_ stage: StageResult) -> String {
        if let startFailure { return "not run: \(startFailure.subject) \(startFailure.title)" }
        if let blocker = stages.first(where: { $0.position < stage.position && $0.status == .failed }) {
            return "not run: stage \(blocker.position) '\(blocker.name)' failed"
        }
        return "not run"
    }

    /// Why `check` did not run: its whole stage was skipped, or it was cut short inside a
    /// stage that ran.
    func whyNotRun(_ check: CheckResult, in stage: StageResult) -> String {
        if stage.status == .notRun { return whyNotRun(stage) }
        return stage.status == .failed ? "not run: an earlier check of this stage failed" : "not run"
    }

    /// The points of a stage, "3/5", for tables and headings.
    static func points(_ score: Double, of maxScore: Double) -> String {
        "\(format(score))/\(format(maxScore))"
    }
}

/// What stopped a program before its checks: a short title for headings and the full
/// reason (the compiler's output, the start-up error) for bodies.
struct StartFailure: Equatable {
    let title: String
    let reason: String
    /// What the title is said of.
    var subject = "the program"

    /// "The program did not build", "The submission could not be graded".
    var sentence: String { subject.prefix(1).uppercased() + subject.dropFirst() + " " + title }
}
