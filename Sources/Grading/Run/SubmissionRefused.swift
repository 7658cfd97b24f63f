import CourseEngine

/// Why the grader will not grade a submission as it is: something that is the submission's
/// own doing (a `course.yaml` that is a link or does not parse, a FIFO or device among its
/// files, a file it cannot read), as opposed to a failure of the grader (a full disk, a
/// missing tool). The grade command turns it into a 0-point result that says `reason`;
/// commands a learner runs print it like any input error.
///
/// `reason` names files relative to the submission folder and quotes the learner's files
/// only as short escaped excerpts (`LearnerText`), so it is safe to show the learner.
public struct SubmissionRefused: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence, starting with the file it is about when there is one
    /// ("ada/pipe is a FIFO (named pipe): …").
    public var reason: String
    public var hint: String?

    public init(_ reason: String, hint: String? = nil) {
        self.reason = reason
        self.hint = hint
    }

    /// A manifest error (`file:line: message`, hint) as a refusal.
    init(_ error: CourseError) {
        self.init(error.location.map { "\($0): \(error.message)" } ?? error.message, hint: error.hint)
    }

    public var description: String {
        hint.map { "\(reason)\n  hint: \($0)" } ?? reason
    }

    /// The same, as the input error (exit status 2) commands print.
    public var courseError: CourseError {
        CourseError(reason, hint: hint)
    }
}
