import CourseEngine
import Foundation

/// Grades one submission: build, then the exercise's stages in order, stopping at the first
/// stage that fails (later stages are reported as not run). Each stage runs within the
/// stage time limit and all of them within the total limit. Hidden stages count, but their
/// failures are reported in general terms only.
public struct Grader: Sendable {
    /// What happens while grading, for a live log.
    public enum Event: Sendable {
        case building
        case built(BuildOutcome)
        case stageStarted(ExerciseManifest.Stage, position: Int)
        case checkFinished(CheckResult, stage: ExerciseManifest.Stage)
        case stageFinished(StageResult)
    }

    public let registry: SuiteRegistry
    public var seed: UInt64
    /// Run stages 1 through this one only (`--stage N`); nil runs all.
    public var lastStage: Int?
    public var runOptions: SubmissionRun.Options
    public var versions: [String: String]

    public init(registry: SuiteRegistry, seed: UInt64, lastStage: Int? = nil, runOptions: SubmissionRun.Options, versions: [String: String] = [:]) {
        self.registry = registry
        self.seed = seed
        self.lastStage = lastStage
        self.runOptions = runOptions
        self.versions = versions
    }

    /// The generic text that replaces a hidden check's failure.
    public static let hiddenFailure = CheckFailure(
        "a hidden check failed; its inputs are not shown",
        hint: "hidden checks test the cases the exercise's README describes; re-read it for the ones you have not covered")

    /// Grades `folder`. Input errors (no such folder, a bad `course.yaml`, no such suite)
    /// throw; everything the submission does wrong is in the result.
    public func grade(exercise: ExerciseManifest, folder: URL, learner: String? = nil,
                      events: @Sendable (Event) -> Void = { _ in }) async throws -> SubmissionResult {
        let suiteStages = try stages(of: exercise)
        let started = Date()
        let hash = (try? SubmissionHasher.hash(folder: folder)) ?? ""
        let run = try SubmissionRun(exercise: exercise, source: folder, options: runOptions)
        let sandboxStatus = runOptions.sandbox.map { _ in SandboxStatus(enabled: true, note: "bubblewrap: read-only system, private /tmp and network, no capabilities") }
            ?? SandboxStatus(enabled: false, note: "not sandboxed: limits and teardown only")
        var result = SubmissionResult(exerciseID: exercise.id, learner: learner ?? run.manifest.learner ?? folder.lastPathComponent,
                                      path: folder.path, contentHash: hash, startedAt: started, durationSeconds: 0, seed: seed,
                                      sandbox: sandboxStatus, build: .built(seconds: 0), stages: [], programOutput: .empty,
                                      versions: versions)
        events(.building)
        result.build = await run.build()
        events(.built(result.build))

        let variables = try ProgramVariables.values(for: exercise, seed: seed, dataFile: run.dataFile)
        let server = exercise.program == .server
            ? SharedServer(source: .submission(run), readySeconds: exercise.readySeconds, environment: variables) : nil
        await runStages(suiteStages, exercise: exercise, run: run, server: server, variables: variables, into: &result, events: events)
        await run.cleanup()
        result.programOutput = run.programLog.snapshot()
        result.durationSeconds = Date().timeIntervalSince(started)
        return result
    }

    /// Grades a server that runs in this process (a piece's reference or one of its
    /// mutants): no build, no sandbox; checks that start the program themselves error.
    public func grade(exercise: ExerciseManifest, server inProcess: InProcessServer, name: String,
                      events: @Sendable (Event) -> Void = { _ in }) async throws -> SubmissionResult {
        guard exercise.program == .server else {
            throw CourseError("exercise '\(exercise.id)' is not a server exercise, so it cannot grade an in-process server", file: exercise.file)
        }
        let suiteStages = try stages(of: exercise)
        let started = Date()
        var result = SubmissionResult(exerciseID: exercise.id, learner: name, path: "(in-process)", contentHash: "", startedAt: started,
                                      durationSeconds: 0, seed: seed, sandbox: SandboxStatus(enabled: false, note: "runs in the grader"),
                                      build: .built(seconds: 0), stages: [], programOutput: .empty, versions: versions)
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("course-in-process-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let variables = ProgramVariables.values(for: exercise, seed: seed) { data.appendingPathComponent($0).path }
        let server = SharedServer(source: .inProcess(inProcess), readySeconds: exercise.readySeconds, environment: variables)
        await runStages(suiteStages, exercise: exercise, run: nil, server: server, variables: variables, into: &result, events: events)
        await server.shutdown()
        result.durationSeconds = Date().timeIntervalSince(started)
        return result
    }

    /// Grades a program started by a shell command, with no build: a piece's reference or
    /// mutant that must run as a real process. It is graded like a submission whose
    /// `course.yaml` runs the command (so, like one, in the sandbox when there is one).
    public func grade(exercise: ExerciseManifest, command: String, name: String,
                      events: @Sendable (Event) -> Void = { _ in }) async throws -> SubmissionResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-command-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = "track: command\nbuild: \"\"\nrun: \(JSONValue.quote(command))\n"
        try manifest.write(to: folder.appendingPathComponent(SubmissionManifest.fileName), atomically: true, encoding: .utf8)
        var result = try await grade(exercise: exercise, folder: folder, learner: name, events: events)
        result.path = "(command) \(command)"
        return result
    }

    /// The suite's checks by stage, after making sure every stage of the manifest has some.
    private func stages(of exercise: ExerciseManifest) throws -> [String: [Check]] {
        guard let suite = registry.suite(exercise.checks) else {
            throw CourseError("exercise '\(exercise.id)' uses the checks '\(exercise.checks)', which no piece registers",
                              file: exercise.file, hint: "known check suites: \(registry.suites.keys.sorted().joined(separator: ", "))")
        }
        let suiteStages = try suite.stages(for: exercise)
        for stage in exercise.stages where (suiteStages[stage.id] ?? []).isEmpty {
            throw CourseError("stage '\(stage.id)' has no checks in the suite '\(suite.id)'", file: exercise.file, line: stage.line)
        }
        return suiteStages
    }

    /// The exercise's stages in order, each after the previous one passed.
    private func runStages(_ suiteStages: [String: [Check]], exercise: ExerciseManifest, run: SubmissionRun?, server: SharedServer?,
                           variables: [String: String], into result: inout SubmissionResult, events: @Sendable (Event) -> Void) async {
        let started = Date()
        var blocked: String? = result.build.isBuilt ? nil : "the build failed"
        let stages = exercise.stages.enumerated().filter { lastStage == nil || $0.offset < lastStage! }
        for (index, stage) in stages {
            let checks = suiteStages[stage.id] ?? []
            let points = Self.points(for: checks, stagePoints: stage.points)
            if let reason = blocked {
                result.stages.append(StageResult(position: index + 1, id: stage.id, name: stage.name, hidden: stage.hidden, status: .notRun,
                                                 checks: zip(checks, points).map { check, max in
                                                     CheckResult(id: check.id, name: check.name, status: .notRun, score: 0, maxScore: max,
                                                                 durationSeconds: 0, failure: CheckFailure("not run: \(reason)"))
                                                 }, durationSeconds: 0))
                continue
            }
            events(.stageStarted(stage, position: index + 1))
            let stageResult = await runStage(stage, position: index + 1, checks: checks, points: points, exercise: exercise,
                                             run: run, server: server, variables: variables,
                                             deadline: started.addingTimeInterval(exercise.limits.totalSeconds), events: events)
            result.stages.append(stageResult)
            events(.stageFinished(stageResult))
            if stageResult.status != .passed {
                blocked = "stage \(index + 1) '\(stage.name)' did not pass"
            }
            if let notReady = stageResult.checks.compactMap({ $0.failure?.message }).first(where: { $0.hasPrefix(Self.notReadyPrefix) }) {
                result.build = .notReady(reason: String(notReady.dropFirst(Self.notReadyPrefix.count)))
                blocked = "the program never became ready"
            }
        }
    }

    static let notReadyPrefix = "the program never became ready: "

    /// The last part of what the programs wrote since `offset`, for a failing check's report:
    /// nil when they wrote nothing. Waits a moment first, for output still in the pipes.
    static func output(of run: SubmissionRun, since offset: Int) async -> String? {
        try? await Task.sleep(nanoseconds: 30_000_000)
        let (text, omitted) = run.programLog.written(since: offset, last: 2048)
        guard !text.isEmpty else { return nil }
        return omitted > 0 ? "… (\(omitted) bytes before)\n" + text : text
    }

    /// Shares a stage's points among its checks by weight (one point per check by default).
    static func points(for checks: [Check], stagePoints: Double?) -> [Double] {
        let total = checks.reduce(0) { $0 + $1.weight }
        let stage = stagePoints ?? Double(checks.count)
        return checks.map { total > 0 ? stage * $0.weight / total : 0 }
    }

    private func runStage(_ stage: ExerciseManifest.Stage, position: Int, checks: [Check], points: [Double],
                          exercise: ExerciseManifest, run: SubmissionRun?, server: SharedServer?, variables: [String: String], deadline: Date,
                          events: @Sendable (Event) -> Void) async -> StageResult {
        let started = Date()
        let stageDeadline = min(deadline, started.addingTimeInterval(exercise.limits.stageSeconds))
        var results: [CheckResult] = []
        var failed = false
        for (check, maxScore) in zip(checks, points) {
            // Within a failing stage the remaining checks still run: a learner sees every
            // problem of the stage at once.
            let checkStarted = Date()
            let outputBefore = run?.programLog.totalBytes ?? 0
            server?.beginCheck(check.name)
            let context = CheckContext(seed: seed, checkID: "\(stage.id)/\(check.id)", exercise: exercise, run: run, server: server,
                                       variables: variables, deadline: stageDeadline)
            let outcome = await Self.runWithDeadline(stageDeadline) { try await check.body(context) }
            var result = CheckResult(id: check.id, name: check.name, status: .passed, score: maxScore, maxScore: maxScore,
                                     durationSeconds: Date().timeIntervalSince(checkStarted))
            switch outcome {
            case .finished:
                break
            case .failed(let failure):
                result.status = .failed
                result.failure = failure
            case .error(let message):
                result.status = .error
                result.failure = CheckFailure(message)
            case .timedOut:
                result.status = .error
                let which = stageDeadline == deadline ? "total time limit of \(SubmissionResult.format(exercise.limits.totalSeconds)) s"
                                                      : "stage time limit of \(SubmissionResult.format(exercise.limits.stageSeconds)) s"
                result.failure = CheckFailure("the \(which) ran out during this check",
                                              hint: "a program that never answers or never exits looks like this")
                // Unblock the check: whatever it waits on belongs to the program.
                await server?.current?.stop(grace: 0)
            }
            if case .timedOut = outcome {
                // The grader stopped the server itself.
            } else if let server, let said = result.failure, !said.message.hasPrefix(Self.notReadyPrefix),
                      let died = await server.exitFailure(check: check.name, checkSaid: said) {
                // "Connection refused" is what the check saw; that the server died is why.
                result.status = .error
                result.failure = died
            }
            if result.status != .passed {
                result.score = 0
                failed = true
                if stage.hidden {
                    result.failure = Self.hiddenFailure
                } else if let run {
                    result.programOutput = await Self.output(of: run, since: outputBefore)
                }
            }
            results.append(result)
            events(.checkFinished(result, stage: stage))
            if case .timedOut = outcome { break }
        }
        // Checks not reached because the stage ran out of time.
        for (check, maxScore) in zip(checks, points).dropFirst(results.count) {
            results.append(CheckResult(id: check.id, name: check.name, status: .notRun, score: 0, maxScore: maxScore, durationSeconds: 0,
                                       failure: CheckFailure("not run: the stage ran out of time")))
        }
        return StageResult(position: position, id: stage.id, name: stage.name, hidden: stage.hidden,
                           status: failed ? .failed : .passed, checks: results, durationSeconds: Date().timeIntervalSince(started))
    }

    enum Outcome: Sendable {
        case finished
        case failed(CheckFailure)
        case error(String)
        case timedOut
    }

    /// Runs `body` until it ends or `deadline` passes. A body stuck past the deadline is
    /// abandoned (cancelled; the caller then stops the program it waits on).
    static func runWithDeadline(_ deadline: Date, _ body: @escaping @Sendable () async throws -> Void) async -> Outcome {
        let box = OutcomeBox()
        return await withCheckedContinuation { continuation in
            box.continuation = continuation
            let timer = Task {
                let wait = deadline.timeIntervalSinceNow
                if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
                if Task.isCancelled { return }
                box.resume(.timedOut)
                box.work?.cancel()
            }
            box.work = Task {
                let outcome: Outcome
                do {
                    try await body()
                    outcome = .finished
                } catch let failure as CheckFailure {
                    outcome = .failed(failure)
                } catch let notReady as ServerNotReady {
                    outcome = .failed(CheckFailure(notReadyPrefix + notReady.reason))
                } catch {
                    outcome = .error("the check could not complete: \(error)")
                }
                if box.resume(outcome) { timer.cancel() }
            }
        }
    }

    final class OutcomeBox: @unchecked Sendable {
        private let lock = NSLock()
        var continuation: CheckedContinuation<Outcome, Never>?
        var work: Task<Void, Never>? {
            get { lock.lock(); defer { lock.unlock() }; return _work }
            set { lock.lock(); _work = newValue; lock.unlock() }
        }
        private var _work: Task<Void, Never>?

        /// Resumes once; returns true for the call that did.
        @discardableResult
        func resume(_ outcome: Outcome) -> Bool {
            lock.lock()
            let waiting = continuation
            continuation = nil
            lock.unlock()
            waiting?.resume(returning: outcome)
            return waiting != nil
        }
    }
}
