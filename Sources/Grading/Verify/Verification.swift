import Foundation

/// One line of `course verify`: whether one variant of an exercise is graded the way it
/// must be (the solution and the reference pass, the starter fails stage 1, a mutant fails
/// a check), and why.
public struct Verification: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case solution, starter, reference, mutant
        /// The exercise could not be graded at all (no such suite, a stage without checks).
        case exercise
        /// Whether every check of the exercise fails on at least one of its mutants.
        case coverage
    }

    public var exerciseID: String
    public var kind: Kind
    /// The mutant's name; empty for the other kinds.
    public var name: String
    public var ok: Bool
    public var reason: String
    public var seconds: Double
    /// For a mutant: the checks it failed ("stage/check").
    public var failedChecks: [String]

    public init(exerciseID: String, kind: Kind, name: String = "", ok: Bool, reason: String, seconds: Double = 0, failedChecks: [String] = []) {
        self.failedChecks = failedChecks
        self.exerciseID = exerciseID
        self.kind = kind
        self.name = name
        self.ok = ok
        self.reason = reason
        self.seconds = seconds
    }

    /// "solution", "starter", "mutant uppercase".
    public var variant: String { name.isEmpty ? kind.rawValue : "\(kind.rawValue) \(name)" }

    /// Judges a graded variant by what its kind must do.
    static func judge(_ result: SubmissionResult, exerciseID: String, kind: Kind, name: String = "", broken: String = "") -> Verification {
        let verdict: (Bool, String)
        switch kind {
        case .solution, .reference, .exercise, .coverage:
            verdict = result.passed ? (true, "passes every stage (\(result.summary))")
                                    : (false, "does not pass: \(result.summary)")
        case .starter:
            if case .failed(let reason) = result.build {
                verdict = (false, "does not build (a starter must compile): \(reason.firstLine)")
            } else if let first = result.stages.first, first.status == .failed {
                verdict = (true, "fails stage 1 '\(first.name)': \(firstFailure(first))")
            } else {
                verdict = (false, "passes stage 1: a starter must fail it, with a message that says what to write")
            }
        case .mutant:
            if case .failed(let reason) = result.build {
                verdict = (false, "does not build, so it proves nothing about the checks: \(reason.firstLine)")
            } else if case .notReady(let reason) = result.build, !result.stages.contains(where: { $0.checks.contains { $0.status == .passed } }) {
                // Not ready at its first start (a restart that fails is a finding, not this).
                verdict = (false, "never became ready, so it proves nothing about the checks: \(reason.firstLine)")
            } else if let caught = result.stages.first(where: { $0.status == .failed }) {
                verdict = (true, "\(broken.withoutFinalPeriod) — caught by stage \(caught.position) '\(caught.name)': \(firstFailure(caught))")
            } else {
                verdict = (false, "passes every check, so the checks miss what it breaks: \(broken.withoutFinalPeriod)")
            }
        }
        let failed = kind == .mutant ? result.stages.flatMap { stage in
            stage.checks.filter { $0.status == .failed || $0.status == .error }.map { "\(stage.id)/\($0.id)" }
        } : []
        return Verification(exerciseID: exerciseID, kind: kind, name: name, ok: verdict.0, reason: verdict.1,
                            seconds: result.durationSeconds, failedChecks: failed)
    }

    private static func firstFailure(_ stage: StageResult) -> String {
        guard let check = stage.checks.first(where: { $0.status == .failed || $0.status == .error }) else { return "failed" }
        return "\(check.name): \(check.failure?.message.firstLine ?? check.status.rawValue)"
    }
}

extension String {
    var withoutFinalPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
