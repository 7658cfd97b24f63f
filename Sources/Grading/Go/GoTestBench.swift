import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a learner's Go tests (`*_test.go` of the submission) against a correct package and
/// each of its mutants, for exercises that grade the tests a learner writes.
///
/// Every command runs through the submission's own `SubmissionRun`, so in the sandbox, under
/// the exercise's limits, against the offline module proxy, with the run's one build cache
/// (shared by all targets: after the first, a target compiles only its package). Each target
/// is compiled once (`go test -c`) and its binary run as often as needed; `plan.jobs`
/// targets at a time. Sources are removed once compiled and the binaries run in a folder of
/// their own, so a test that reads the program's source (or hashes it) fails on the correct
/// program too. The correct program goes first; the mutants only when the tests pass on it.
public final class GoTestBench: @unchecked Sendable {
    public let plan: GoTestPlan
    private let run: SubmissionRun
    private let repeated = Promise<GoTestOutcome>()
    private let raced = Promise<GoTestOutcome>()
    private let mutants: [String: Promise<GoTestOutcome>]
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    static let correctName = "correct"

    init(run: SubmissionRun, plan: GoTestPlan) {
        self.run = run
        self.plan = plan
        mutants = Dictionary(plan.mutants.map { ($0.name, Promise<GoTestOutcome>()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Starts the work (once).
    func begin() {
        lock.withLock {
            guard task == nil else { return }
            task = Task { await self.work() }
        }
    }

    /// Stops the work; whatever was not finished is `notRun`.
    func cancel() {
        lock.withLock { task }?.cancel()
        finishAll(.notRun("grading stopped before it ran"))
    }

    /// The tests on the correct program: `plan.repeats` runs in shuffled orders, then each
    /// test on its own.
    public func correct() async -> GoTestOutcome { await repeated.value() }

    /// The tests on the correct program built with the race detector, one run.
    public func correctUnderRace() async -> GoTestOutcome { await raced.value() }

    /// The tests on one mutant, one run; `notRun` when the tests fail on the correct program.
    public func mutant(_ name: String) async -> GoTestOutcome {
        guard let promise = mutants[name] else { return .notRun("no mutant '\(name)' was planned") }
        return await promise.value()
    }

    private func finishAll(_ outcome: GoTestOutcome) {
        repeated.fulfill(outcome)
        raced.fulfill(outcome)
        for promise in mutants.values { promise.fulfill(outcome) }
    }

    // MARK: The work

    private var root: URL { run.workDirectory.appendingPathComponent(".course-tests") }

    private func work() async {
        let tests = learnerTestFiles()
        guard !tests.isEmpty else {
            finishAll(.noTests)
            return
        }
        do {
            try run.remakeOwnFolder(root)
            for folder in ["src", "bin", "run"] { try run.remakeOwnFolder(root.appendingPathComponent(folder)) }
        } catch {
            finishAll(.notRun("the grader could not make its test folders: \(error)"))
            return
        }
        let correct = GoTestTarget(name: Self.correctName, overlay: nil)
        let raceTarget = GoTestTarget(name: Self.correctName + "-race", overlay: nil, race: true)
        async let plain = build(correct, tests: tests)
        async let race = build(raceTarget, tests: tests)
        let (plainBuilt, raceBuilt) = await (plain, race)

        let repeatedOutcome = await runCorrect(plainBuilt)
        repeated.fulfill(repeatedOutcome)
        let raceOutcome = await raceBuilt.map { await runOnce(raceTarget, what: "one run with Go's race detector", extra: ["-race"]) } ?? raceBuilt.failure!
        raced.fulfill(raceOutcome)
        guard repeatedOutcome.passed, raceOutcome.passed else {
            for promise in mutants.values {
                promise.fulfill(.notRun("your tests fail on the correct program, so no bug they fail on counts as caught"))
            }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < plan.mutants.count, !Task.isCancelled else { return }
                let target = plan.mutants[next]
                next += 1
                group.addTask {
                    let built = await self.build(target, tests: tests)
                    let outcome = await built.map { await self.runOnce(target, what: "one run", extra: target.race ? ["-race"] : []) } ?? built.failure!
                    self.mutants[target.name]?.fulfill(outcome)
                }
            }
            for _ in 0..<plan.jobs { add() }
            while await group.next() != nil { add() }
        }
        finishAll(.notRun("grading stopped before it ran"))
    }

    /// The submission's test files (regular files at the top of its folder).
    private func learnerTestFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: run.workDirectory.path)) ?? []
        return names.filter { $0.hasSuffix("_test.go") && !$0.hasPrefix(".") }.sorted().map { run.workDirectory.appendingPathComponent($0) }.filter {
            var info = stat()
            return lstat($0.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }
    }

    /// What a build gave: the binary is there, or the outcome that replaces every run.
    private struct Built {
        let failure: GoTestOutcome?
        func map(_ body: () async -> GoTestOutcome) async -> GoTestOutcome? {
            failure == nil ? await body() : nil
        }
    }

    /// Lays out the target's sources (the correct package, the mutant's files over it, the
    /// learner's tests), compiles its test binary, and removes the sources.
    private func build(_ target: GoTestTarget, tests: [URL]) async -> Built {
        let source = root.appendingPathComponent("src/\(target.name)")
        let runFolder = root.appendingPathComponent("run/\(target.name)")
        do {
            try run.remakeOwnFolder(source)
            try run.remakeOwnFolder(runFolder)
            let files = FileManager.default
            let learnerModule = run.workDirectory.appendingPathComponent("go.mod")
            for name in try files.contentsOfDirectory(atPath: plan.package.path).sorted()
            where (name.hasSuffix(".go") && !name.hasSuffix("_test.go")) || name == "go.mod" {
                let from = name == "go.mod" && files.fileExists(atPath: learnerModule.path) ? learnerModule : plan.package.appendingPathComponent(name)
                try give(from, to: source.appendingPathComponent(name))
            }
            for test in tests { try give(test, to: source.appendingPathComponent(test.lastPathComponent)) }
            if let overlay = target.overlay {
                for name in try files.contentsOfDirectory(atPath: overlay.path).sorted() where name.hasSuffix(".go") {
                    try? files.removeItem(at: source.appendingPathComponent(name))
                    try give(overlay.appendingPathComponent(name), to: source.appendingPathComponent(name))
                }
            }
            // Test data the tests read by relative path, next to where the binary runs.
            let testdata = run.workDirectory.appendingPathComponent("testdata")
            var isFolder: ObjCBool = false
            if files.fileExists(atPath: testdata.path, isDirectory: &isFolder), isFolder.boolValue {
                try files.copyItem(at: testdata, to: runFolder.appendingPathComponent("testdata"))
                try own(runFolder.appendingPathComponent("testdata"))
            }
        } catch {
            return Built(failure: .notRun("the grader could not lay out the tests for \(target.name): \(error)"))
        }
        let flags = "-c\(target.race ? " -race" : "") -o ../../bin/\(target.name).test ."
        let command = "go test \(flags)"
        let outcome = await execute("cd .course-tests/src/\(target.name) && exec \(command)", seconds: run.exercise.limits.buildSeconds,
                                    environment: [:])
        try? FileManager.default.removeItem(at: source)
        guard let termination = outcome.termination else {
            return Built(failure: .didNotBuild(command: command, output: "stopped after \(SubmissionResult.format(run.exercise.limits.buildSeconds)) s\n" + outcome.output))
        }
        guard termination.isSuccess else {
            return Built(failure: .didNotBuild(command: command, output: outcome.output))
        }
        // `go test -c` writes nothing for a package whose tests are all in other packages.
        guard FileManager.default.fileExists(atPath: binary(target)) else { return Built(failure: .noTests) }
        return Built(failure: nil)
    }

    private func binary(_ target: GoTestTarget) -> String { root.appendingPathComponent("bin/\(target.name).test").path }

    /// The correct program: `plan.repeats` runs, each in another shuffled order, then every
    /// test alone (a test that needs what an earlier one left behind fails alone); stops at
    /// the first failing run.
    private func runCorrect(_ built: Built) async -> GoTestOutcome {
        if let failure = built.failure { return failure }
        let target = GoTestTarget(name: Self.correctName, overlay: nil)
        var runs: [GoTestRun] = []
        for index in 1...plan.repeats {
            let seed = Int((plan.seed &+ UInt64(index)) % 1_000_000)
            let one = await testRun(target, what: "run \(index) of \(plan.repeats), tests in a shuffled order",
                                    arguments: ["-test.shuffle=\(seed)"], extra: [])
            runs.append(one)
            if !one.passed || Task.isCancelled { return .ran(runs) }
        }
        let listed = await execute("cd .course-tests/run/\(target.name) && exec ../../bin/\(target.name).test -test.list '^Test'",
                                   seconds: plan.runSeconds + 5, environment: [:])
        let names = listed.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Test") && !$0.contains(" ") }
        for name in names.prefix(200) {
            let one = await testRun(target, what: "\(name) run on its own, without the tests before it",
                                    arguments: ["-test.run=^\(name)$"], extra: [])
            runs.append(one)
            if !one.passed || Task.isCancelled { break }
        }
        return .ran(runs)
    }

    private func runOnce(_ target: GoTestTarget, what: String, extra: [String]) async -> GoTestOutcome {
        .ran([await testRun(target, what: what, arguments: [], extra: extra)])
    }

    /// One run of the target's test binary, in its own folder, under the run bound.
    private func testRun(_ target: GoTestTarget, what: String, arguments: [String], extra: [String]) async -> GoTestRun {
        let bound = "-test.timeout=\(Int(plan.runSeconds))s"
        let all = ["-test.count=1", bound] + arguments
        let shell = "cd .course-tests/run/\(target.name) && exec ../../bin/\(target.name).test " + all.map(Grader.shellQuoted).joined(separator: " ")
        // The race detector sees two goroutines collide only when they really run at once
        // (see `SubmissionRun.launch`).
        let outcome = await execute(shell, seconds: plan.runSeconds + 5, environment: target.race ? ["GOMAXPROCS": "8"] : [:])
        let flags = (extra + all.map { $0.replacingOccurrences(of: "-test.", with: "-") }).joined(separator: " ")
        return GoTestRun(what: what, flags: flags, termination: outcome.termination, output: outcome.output, seconds: outcome.seconds)
    }

    /// Runs a shell command of the submission; nil termination: stopped after `seconds`.
    private func execute(_ shell: String, seconds: Double, environment: [String: String]) async
        -> (termination: ChildProcess.Termination?, output: String, seconds: Double) {
        let started = Date()
        guard !Task.isCancelled, let program = try? run.start(shell: shell, extraEnvironment: environment, kind: "test") else {
            return (nil, "could not start `\(shell)`", 0)
        }
        let termination = await program.waitForExit(seconds: seconds)
        _ = await program.stop()
        let output = OutputExcerpt.standard.cut(program.combinedOutput.text, folder: run.workDirectory.path)
        return (termination, output, Date().timeIntervalSince(started))
    }

    /// Copies a regular file for the sandboxed commands to read and write.
    private func give(_ from: URL, to: URL) throws {
        var info = stat()
        guard lstat(from.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw CourseError("\(from.lastPathComponent) is not a regular file")
        }
        try FileManager.default.copyItem(at: from, to: to)
        try own(to)
    }

    /// Hands a copied file or folder (and what it holds) to the sandbox's uid.
    private func own(_ url: URL) throws {
        guard let sandbox = run.options.sandbox, geteuid() == 0 else { return }
        lchown(url.path, sandbox.uid, sandbox.uid)
        if let inside = FileManager.default.enumerator(atPath: url.path) {
            while let name = inside.nextObject() as? String { lchown(url.appendingPathComponent(name).path, sandbox.uid, sandbox.uid) }
        }
    }
}

/// A value some tasks wait for and one fulfils (the first fulfilment wins).
final class Promise<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Value?
    private var waiting: [CheckedContinuation<Value, Never>] = []

    func fulfill(_ value: Value) {
        let toResume: [CheckedContinuation<Value, Never>] = lock.withLock {
            guard result == nil else { return [] }
            result = value
            defer { waiting = [] }
            return waiting
        }
        for continuation in toResume { continuation.resume(returning: value) }
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = lock.withLock {
                if let result { return result }
                waiting.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
