import Foundation

/// A program the learner's Go tests run against: the correct package, or a mutant of it.
public struct GoTestTarget: Sendable {
    /// A folder name: `correct`, or the mutant's name.
    public let name: String
    /// Files laid over the correct package (a mutant folder, its `MUTANT.md` left out);
    /// nil: the correct package itself.
    public let overlay: URL?
    /// Built with the race detector (`go test -c -race`): a mutant whose bug is a data race
    /// is caught by any test that makes two requests at once, not only by a lucky one.
    public let race: Bool

    public init(name: String, overlay: URL?, race: Bool = false) {
        self.name = name
        self.overlay = overlay
        self.race = race
    }
}

/// What the bench does: the correct package, the mutants, and the bounds of one run.
public struct GoTestPlan: Sendable {
    /// The correct package: its non-test `.go` files and its `go.mod` (the learner's go.mod
    /// is used instead when the submission has one, for the modules its tests import).
    public var package: URL
    public var mutants: [GoTestTarget]
    /// How long one run of the whole suite may take (`-test.timeout`): the README states it,
    /// and a suite that sleeps past it fails on the correct program.
    public var runSeconds: Double
    /// Runs of the correct program in a row, each in another shuffled order.
    public var repeats: Int
    /// Test binaries built and run at once.
    public var jobs: Int
    /// Seeds the shuffled orders, so a grading run can be repeated.
    public var seed: UInt64

    public init(package: URL, mutants: [GoTestTarget], runSeconds: Double = 10, repeats: Int = 3, jobs: Int = 2, seed: UInt64 = 1) {
        self.package = package
        self.mutants = mutants
        self.runSeconds = runSeconds
        self.repeats = repeats
        self.jobs = max(1, jobs)
        self.seed = seed
    }
}

/// One run of a test binary.
public struct GoTestRun: Sendable {
    /// "run 2 of 3, tests in a shuffled order (-test.shuffle=12)".
    public let what: String
    /// The `go test` flags that repeat it on the learner's machine.
    public let flags: String
    /// nil: stopped for running past the bound.
    public let termination: ChildProcess.Termination?
    public let output: String
    public let seconds: Double

    public var passed: Bool { termination?.isSuccess == true }

    /// The run in one line: what it was and how it ended.
    public var summary: String {
        let end = termination.map { $0.isSuccess ? "passed" : "failed (the test binary \($0))" } ?? "was stopped: it ran past its time"
        return "\(what): `go test \(flags)` \(end) in \(SubmissionResult.format(seconds)) s"
    }
}

/// How the learner's tests did against one target.
public enum GoTestOutcome: Sendable {
    /// The test binary built; its runs in order (for the correct program they stop at the
    /// first that fails).
    case ran([GoTestRun])
    /// The submission has no `*_test.go` file: nothing to run.
    case noTests
    /// `go test -c` failed: the command and what it said.
    case didNotBuild(command: String, output: String)
    /// Not run, and why ("the tests fail on the correct program").
    case notRun(String)

    /// Built, and every run passed (no tests at all passes too: nothing failed).
    public var passed: Bool {
        switch self {
        case .ran(let runs): return runs.allSatisfy(\.passed)
        case .noTests: return true
        case .didNotBuild, .notRun: return false
        }
    }

    /// The first run that failed.
    public var failedRun: GoTestRun? {
        if case .ran(let runs) = self { return runs.first { !$0.passed } }
        return nil
    }
}
