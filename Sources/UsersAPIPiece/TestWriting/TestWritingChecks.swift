import Foundation
import Grading

/// The checks of `users-tests`: the learner writes Go tests for a correct users API package,
/// and is graded by the bugs they catch. Stage `runs` holds the tests to the correct program
/// (three shuffled runs, each test alone, and once under `-race`); each later stage has one
/// check per bug (a users-api mutant), which passes when at least one test fails on the
/// program with that bug. A bug is named by its one-line description, never its code; in a
/// hidden stage, not even that.
enum TestWritingChecks {
    static let suiteID = "users-tests"

    /// How long one run of the learner's whole suite may take (the README states it).
    static let runSeconds = 10.0

    static let suite = CheckSuite(id: suiteID) { exercise in
        let bugs = try folders(for: exercise)
        var stages: [String: [Check]] = ["runs": [passesRepeatedly(bugs), passesUnderRace(bugs), catchesSomething(bugs)]]
        let hidden = Set(exercise.stages.filter(\.hidden).map(\.id))
        for (stage, list) in TestWritingBugs.stages {
            stages[stage] = list.enumerated().map { index, bug in
                let described = bugs.described[bug.mutant] ?? bug.mutant
                return hidden.contains(stage)
                    ? Check("hidden-\(index + 1)", "catches hidden bug \(index + 1) of \(list.count)") { try await caught(bug, bugs: bugs, context: $0) }
                    : Check(bug.mutant, "catches: \(described.withoutPeriod)") { try await caught(bug, bugs: bugs, context: $0) }
            }
        }
        return stages
    }

    /// Where the correct program and the bugs are, read from the exercise's folder.
    struct Folders: Sendable {
        let package: URL
        let mutants: [GoTestTarget]
        let described: [String: String]
    }

    static func folders(for exercise: ExerciseManifest) throws -> Folders {
        guard let folder = exercise.folder else { throw CheckFailure("the exercise \(exercise.id) has no folder") }
        let program = folder.deletingLastPathComponent().appendingPathComponent(TestWritingBugs.programExercise)
        var described: [String: String] = [:]
        let mutants = try TestWritingBugs.all.map { bug -> GoTestTarget in
            let mutant = program.appendingPathComponent("mutants/\(bug.mutant)")
            let text = (try? String(contentsOf: mutant.appendingPathComponent(Mutant.descriptionFile), encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first.map(String.init), !line.isEmpty else {
                throw CheckFailure("the bug \(bug.mutant) has no \(mutant.path)/\(Mutant.descriptionFile) saying what it breaks")
            }
            described[bug.mutant] = line.trimmingCharacters(in: .whitespaces)
            return GoTestTarget(name: bug.mutant, overlay: mutant, race: bug.race)
        }
        return Folders(package: folder.appendingPathComponent("solution/go"), mutants: mutants, described: described)
    }

    static func bench(_ bugs: Folders, _ context: CheckContext) throws -> GoTestBench {
        try context.goTests(GoTestPlan(package: bugs.package, mutants: bugs.mutants, runSeconds: runSeconds,
                                       jobs: min(2, ProcessInfo.processInfo.activeProcessorCount), seed: context.seed))
    }

    // MARK: Stage 1: the tests pass on the correct program

    static func passesRepeatedly(_ bugs: Folders) -> Check {
        Check("pass-repeatedly", "pass on the correct program: 3 runs in shuffled orders, then each test on its own", weight: 2) { context in
            let bench = try bench(bugs, context)
            let token = context.activity.begin("go test -c: compiling your tests with the correct program, with and without -race")
            let outcome = await bench.correct()
            context.activity.end(token)
            try require(outcome, on: "the correct program",
                        hint: "a test that fails only in some runs depends on the order of the tests, on what another test left "
                            + "behind, on timing, or on the time of day: give each test its own fresh API (a new store), and "
                            + "wait for events, not for a fixed sleep; every run must finish within \(Int(runSeconds)) s")
            try await counted(bench, bugs, context)
        }
    }

    static func passesUnderRace(_ bugs: Folders) -> Check {
        Check("pass-race", "pass on the correct program under Go's race detector (go test -race)") { context in
            let outcome = try await bench(bugs, context).correctUnderRace()
            try require(outcome, on: "the correct program built with -race",
                        hint: "the race is in your tests: goroutines a test starts must not share a variable without a "
                            + "sync.Mutex or a channel (collect results through a channel, or count with sync/atomic)")
            try await counted(try bench(bugs, context), bugs, context)
        }
    }

    static func catchesSomething(_ bugs: Folders) -> Check {
        Check("catch-one", "fail on at least one of the \(bugs.mutants.count) broken programs") { context in
            let bench = try bench(bugs, context)
            guard await bench.correct().passed, await bench.correctUnderRace().passed else {
                throw CheckFailure("not counted: your tests do not pass on the correct program yet")
            }
            // Passes at the first bug caught, so the stages after it show each bug's line as
            // its test binary finishes (the live count), not all at once at the end.
            guard await firstCaught(bench, bugs, context) else {
                throw CheckFailure("your tests pass on every one of the \(bugs.mutants.count) broken programs, so they catch no bug",
                                   expected: "at least one test that fails when the API answers wrongly",
                                   hint: "a test must check what the API answers (the status, the body), not only that it answers: "
                                       + "start with users-api's contract, a request and the status it must get at a time")
            }
        }
    }

    /// Whether the tests fail on at least one broken program; waits for the bugs in order and
    /// answers at the first caught.
    static func firstCaught(_ bench: GoTestBench, _ bugs: Folders, _ context: CheckContext) async -> Bool {
        for (index, target) in bugs.mutants.enumerated() {
            let token = context.activity.begin("your tests on broken program \(index + 1) of \(bugs.mutants.count), none caught so far")
            let outcome = await bench.mutant(target.name)
            context.activity.end(token)
            if outcome.failedRun != nil { return true }
        }
        return false
    }

    /// Passing on the correct program earns its points only in a suite that passes every
    /// run there and catches a bug: an empty suite, a skipped one, or one that fails under
    /// -race or in another order scores zero.
    static func counted(_ bench: GoTestBench, _ bugs: Folders, _ context: CheckContext) async throws {
        guard await bench.correct().passed, await bench.correctUnderRace().passed else {
            throw CheckFailure("not counted: your tests fail on the correct program in another run (see the other checks of this stage)")
        }
        guard await firstCaught(bench, bugs, context) else {
            throw CheckFailure("not counted: your tests catch no bug, so passing on the correct program earns nothing")
        }
    }

    /// Passes when every run passed; else says which run failed and what `go test` said.
    static func require(_ outcome: GoTestOutcome, on what: String, hint: String) throws {
        switch outcome {
        case .noTests:
            throw CheckFailure("there are no tests: no *_test.go file in your folder",
                               hint: "write your tests in files ending in _test.go next to main.go (package main)")
        case .didNotBuild(let command, let output):
            throw CheckFailure("your tests do not compile against \(what)", sent: command, received: output,
                               hint: "`go vet ./...` in your folder shows the same errors")
        case .notRun(let why):
            throw CheckFailure("your tests were not run on \(what): \(why)")
        case .ran(let runs):
            guard let failed = runs.first(where: { !$0.passed }) else { return }
            let before = runs.prefix { $0.passed }.map { "\($0.summary)\n" }.joined()
            throw CheckFailure("your tests fail on \(what), so none of them can tell a bug from correct code",
                               sent: before + failed.summary, received: failed.output, expected: "every run passes", hint: hint)
        }
    }

    // MARK: The bugs

    /// Passes when at least one test failed on the program with `bug`.
    static func caught(_ bug: TestWritingBugs.Bug, bugs: Folders, context: CheckContext) async throws {
        let bench = try bench(bugs, context)
        let outcome = await bench.mutant(bug.mutant)
        let described = (bugs.described[bug.mutant] ?? bug.mutant).withoutPeriod
        switch outcome {
        case .ran(let runs):
            if runs.contains(where: { !$0.passed }) { return }
            throw CheckFailure("every test passes on a program with this bug: \(described)",
                               sent: runs.map(\.summary).joined(separator: "\n"),
                               expected: "at least one test that fails on it",
                               hint: "write a test that makes the request this bug answers wrongly and checks the answer"
                                   + (bug.race ? "; this one shows under `go test -race` when two requests run at once" : ""))
        case .noTests:
            throw CheckFailure("there are no tests, so no bug is caught: \(described)")
        case .didNotBuild(let command, let output):
            throw CheckFailure("your tests do not compile against the program with this bug: \(described)", sent: command, received: output,
                               hint: "test the package through its HTTP handlers (API.Routes), not its internal names")
        case .notRun(let why):
            throw CheckFailure("not counted: \(why)")
        }
    }
}

extension String {
    var withoutPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
