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
        /// A check has waited `Grader.waitShownAfter` seconds or more on `what`
        /// ("waiting for the response to GET /users (at most 5 s)").
        case checkWaiting(check: String, stage: ExerciseManifest.Stage, what: String)
        case checkFinished(CheckResult, stage: ExerciseManifest.Stage)
        case stageFinished(StageResult)
    }

    public let registry: PieceRegistry
    public var seed: UInt64
    /// Run stages 1 through this one only (`--stage N`); nil runs all.
    public var lastStage: Int?
    /// Run every stage even after one fails, each failed stage followed by a fresh start of
    /// the program (`course grade --all-stages`: partial credit for what works). Off, the
    /// stages stop at the first failure (the learner's loop).
    public var allStages: Bool
    public var runOptions: SubmissionRun.Options
    public var versions: [String: String]

    public init(registry: PieceRegistry, seed: UInt64, lastStage: Int? = nil, allStages: Bool = false,
                runOptions: SubmissionRun.Options, versions: [String: String] = [:]) {
        self.registry = registry
        self.seed = seed
        self.lastStage = lastStage
        self.allStages = allStages
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
        var result = emptyResult(exercise, learner: learner ?? run.manifest.learner ?? folder.lastPathComponent, path: folder.path,
                                 hash: hash, started: started, sandbox: runOptions.sandbox.map { _ in
                                     SandboxStatus(enabled: true, note: "bubblewrap: read-only system, private /tmp and network, no capabilities")
                                 } ?? SandboxStatus(enabled: false, note: "not sandboxed: limits and teardown only"))
        events(.building)
        result.build = await run.build()
        events(.built(result.build))
        do {
            try await withServices(for: exercise) { services in
                let variables = try registry.values(for: exercise, seed: seed, services: services, dataFile: run.dataFile)
                let server = exercise.program == .server
                    ? SharedServer(source: .submission(run), readySeconds: exercise.readySeconds, environment: variables) : nil
                await runStages(suiteStages, exercise: exercise, run: run, server: server, services: services, variables: variables,
                                into: &result, events: events)
            }
        } catch {
            await run.cleanup()
            throw error
        }
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
        var result = emptyResult(exercise, learner: name, path: "(in-process)", hash: "", started: started,
                                 sandbox: SandboxStatus(enabled: false, note: "runs in the grader"))
        let data = try runOptions.scratch.makeFolder("in-process")
        defer { try? FileManager.default.removeItem(at: data) }
        try await withServices(for: exercise) { services in
            let variables = try registry.values(for: exercise, seed: seed, services: services) { data.appendingPathComponent($0).path }
            let server = SharedServer(source: .inProcess(inProcess), readySeconds: exercise.readySeconds, environment: variables)
            await runStages(suiteStages, exercise: exercise, run: nil, server: server, services: services, variables: variables,
                            into: &result, events: events)
            await server.shutdown()
        }
        result.durationSeconds = Date().timeIntervalSince(started)
        return result
    }

    /// Grades a program started by a shell command, with no build: a piece's reference or
    /// mutant that must run as a real process. It is graded like a submission whose
    /// `course.yaml` runs the command (so, like one, in the sandbox when there is one).
    public func grade(exercise: ExerciseManifest, command: String, name: String,
                      events: @Sendable (Event) -> Void = { _ in }) async throws -> SubmissionResult {
        let folder = try runOptions.scratch.makeFolder("command")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = "track: command\nbuild: \"\"\nrun: \(JSONValue.quote(command))\n"
        try manifest.write(to: folder.appendingPathComponent(SubmissionManifest.fileName), atomically: true, encoding: .utf8)
        var result = try await grade(exercise: exercise, folder: folder, learner: name, events: events)
        result.path = "(command) \(command)"
        return result
    }

    /// Grades a piece's service run as a process, `course serve NAME ARGUMENTS…` (its
    /// reference, or the reference with a flaw), with the exercise's variables in its
    /// environment and `--port "$PORT"`.
    public func grade(exercise: ExerciseManifest, service: String, arguments: [String], name: String,
                      events: @Sendable (Event) -> Void = { _ in }) async throws -> SubmissionResult {
        guard let executable = registry.executable else {
            throw CourseError("the service '\(service)' runs as `course serve`, and this grader does not know where course is")
        }
        guard registry.service(service) != nil else {
            throw CourseError("no piece registers the service '\(service)'")
        }
        let command = ([executable, "serve", service, "--port"].map(Self.shellQuoted) + ["\"$PORT\""] + arguments.map(Self.shellQuoted))
            .joined(separator: " ")
        return try await grade(exercise: exercise, command: command, name: name, events: events)
    }

    /// Starts the services `exercise` needs, runs `body` with them, and stops them whatever
    /// `body` does.
    private func withServices(for exercise: ExerciseManifest, _ body: (RunningServices) async throws -> Void) async throws {
        let services = try await RunningServices.start(for: exercise, registry: registry, seed: seed)
        do {
            try await body(services)
        } catch {
            await services.stop()
            throw error
        }
        await services.stop()
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func emptyResult(_ exercise: ExerciseManifest, learner: String, path: String, hash: String, started: Date,
                             sandbox: SandboxStatus) -> SubmissionResult {
        SubmissionResult(exerciseID: exercise.id, learner: learner, path: path, contentHash: hash, startedAt: started,
                         durationSeconds: 0, seed: seed, sandbox: sandbox, build: .built(seconds: 0), stages: [],
                         programOutput: .empty, versions: versions, mode: GradingMode(allStages: allStages))
    }

    /// The suite's checks by stage, after making sure every stage of the manifest has some.
    private func stages(of exercise: ExerciseManifest) throws -> [String: [Check]] {
        guard let suite = registry.suite(exercise.checks) else {
            throw CourseError("exercise '\(exercise.id)' uses the checks '\(exercise.checks)', which no piece registers",
                              file: exercise.file, hint: "known check suites: \(registry.suites.keys.sorted().joined(separator: ", "))")
        }
        try registry.checkVariables(of: exercise)
        let suiteStages = try suite.stages(for: exercise)
        for stage in exercise.stages where (suiteStages[stage.id] ?? []).isEmpty {
            throw CourseError("stage '\(stage.id)' has no checks in the suite '\(suite.id)'", file: exercise.file, line: stage.line)
        }
        return suiteStages
    }

    /// The exercise's stages in order. Staged, each runs after the previous one passed;
    /// with `allStages`, every stage runs, and one after a failed stage starts from a fresh
    /// program (new process, empty data folder), so one mistake costs only its own stage.
    /// A build that failed or a program that never became ready blocks every stage after.
    private func runStages(_ suiteStages: [String: [Check]], exercise: ExerciseManifest, run: SubmissionRun?, server: SharedServer?,
                           services: RunningServices, variables: [String: String], into result: inout SubmissionResult,
                           events: @Sendable (Event) -> Void) async {
        let started = Date()
        var blocked: String? = result.build.isBuilt ? nil : "the build failed"
        var freshStart = false
        let stages = exercise.stages.enumerated().filter { lastStage == nil || $0.offset < lastStage! }
        for (index, stage) in stages {
            let race = stage.race && run?.canRace == true
            let stageChecks = suiteStages[stage.id] ?? []
            let checks = stageChecks + (race ? [RaceDetector.check(weight: stageChecks.reduce(0) { $0 + $1.weight })] : [])
            if let reason = blocked {
                result.stages.append(Self.notRun(stage, position: index + 1, checks: checks, reason: reason))
                continue
            }
            let points = Self.points(for: checks, stagePoints: stage.points)
            if freshStart {
                await server?.freshStart()
                run?.clearData()
                freshStart = false
            }
            if let run, race || run.raceMode {
                // Into or out of the race build: programs started from here on are that one.
                let raceBuilt = race ? await run.prepareRace() : false
                if raceBuilt != run.raceMode {
                    run.raceMode = raceBuilt
                    await server?.freshStart()
                }
                run.clearRaceReports()
            }
            events(.stageStarted(stage, position: index + 1))
            var (stageResult, notReady) = await runStage(stage, position: index + 1, checks: checks, points: points, exercise: exercise,
                                                         run: run, server: server, services: services, variables: variables,
                                                         deadline: started.addingTimeInterval(exercise.limits.totalSeconds), events: events)
            // A race stage that passed runs again, silently, with fresh data: the detector
            // sees a race only when two handlers really overlap, which a loaded machine can
            // deny one round; the detector's reports of every round count.
            var round = 1
            while race, stageResult.status == .passed, notReady == nil, round < Self.raceRounds {
                let (again, stillNotReady) = await runStage(stage, position: index + 1, checks: checks, points: points, exercise: exercise,
                                                            run: run, server: server, services: services, variables: variables,
                                                            deadline: started.addingTimeInterval(exercise.limits.totalSeconds),
                                                            round: round, events: { _ in })
                round += 1
                notReady = stillNotReady
                if again.status != .passed {
                    for check in again.checks where check.status != .passed { events(.checkFinished(check, stage: stage)) }
                    stageResult = again
                }
            }
            result.stages.append(stageResult)
            events(.stageFinished(stageResult))
            if stageResult.status != .passed {
                if allStages { freshStart = true } else { blocked = "stage \(index + 1) '\(stage.name)' did not pass" }
            }
            if let notReady {
                result.build = .notReady(reason: notReady)
                blocked = "the program never became ready"
            }
        }
    }

    /// A stage that did not run, each check at zero of its points with the reason.
    static func notRun(_ stage: ExerciseManifest.Stage, position: Int, checks: [Check], reason: String) -> StageResult {
        StageResult(position: position, id: stage.id, name: stage.name, hidden: stage.hidden, status: .notRun,
                    checks: zip(checks, points(for: checks, stagePoints: stage.points)).map { check, max in
                        CheckResult(id: check.id, name: check.name, status: .notRun, score: 0, maxScore: max,
                                    durationSeconds: 0, failure: CheckFailure("not run: \(reason)"))
                    }, durationSeconds: 0)
    }

    /// What a check that met a program that never became ready reports.
    static let notReadyPrefix = "the program never became ready: "

    /// What the programs wrote since `offset`, for a failing check's report, cut to its
    /// first lines, a crash's cause and its last lines (`OutputExcerpt`): nil when they
    /// wrote nothing. Waits a moment first, for output still in the pipes.
    static func output(of run: SubmissionRun, since offset: Int) async -> String? {
        try? await Task.sleep(nanoseconds: 30_000_000)
        let (text, omitted) = run.programLog.written(since: offset, last: .max)
        guard !text.isEmpty else { return nil }
        let excerpt = OutputExcerpt.standard.cut(text, folder: run.workDirectory.path)
        return omitted > 0 ? "[… \(omitted) bytes not kept …]\n" + excerpt : excerpt
    }

    /// Whether `failure` already shows the program's `output` (a server that died or never
    /// became ready carries its output; a stdio check shows what the program wrote): then
    /// it is not attached a second time.
    static func shows(_ failure: CheckFailure?, output: String) -> Bool {
        guard let failure else { return false }
        let body = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { return true }
        let shown = [failure.message, failure.received ?? ""].joined(separator: "\n")
        if shown.contains(body) { return true }
        // Compared line by line too: a failure may indent what it quotes.
        let lines = body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shownLines = Set(shown.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        return !lines.isEmpty && lines.allSatisfy { shownLines.contains($0) }
    }

    /// Shares a stage's points among its checks by weight (one point per check by default).
    static func points(for checks: [Check], stagePoints: Double?) -> [Double] {
        let total = checks.reduce(0) { $0 + $1.weight }
        let stage = stagePoints ?? Double(checks.count)
        return checks.map { total > 0 ? stage * $0.weight / total : 0 }
    }

    /// Runs one stage's checks; also returns why the program never became ready, if a
    /// check found that.
    /// How many times a race stage runs when it passes (see `runStages`).
    static let raceRounds = 4

    private func runStage(_ stage: ExerciseManifest.Stage, position: Int, checks: [Check], points: [Double],
                          exercise: ExerciseManifest, run: SubmissionRun?, server: SharedServer?, services: RunningServices,
                          variables: [String: String], deadline: Date, round: Int = 0,
                          events: @Sendable (Event) -> Void) async -> (StageResult, notReady: String?) {
        let started = Date()
        let stageDeadline = min(deadline, started.addingTimeInterval(exercise.limits.stageSeconds))
        var results: [CheckResult] = []
        var failed = false
        var notReady: String?
        var notReadyCheck: String?
        for (check, maxScore) in zip(checks, points) {
            // Within a failing stage the remaining checks still run: a learner sees every
            // problem of the stage at once.
            let checkStarted = Date()
            let outputBefore = run?.programLog.totalBytes ?? 0
            let activity = CheckActivity()
            server?.beginCheck(check.name, activity: activity)
            await services.reset()
            // Another round of a race stage draws other data (names, emails) from its seed.
            let context = CheckContext(seed: seed &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15, checkID: "\(stage.id)/\(check.id)", exercise: exercise, run: run, server: server,
                                       services: services, variables: variables, deadline: stageDeadline, activity: activity)
            let outcome = await Self.announcingWaits(of: activity, check: check.name, stage: stage, events: events) {
                await Self.runWithDeadline(stageDeadline) { try await check.body(context) }
            }
            // Set when the failure carries the program's output itself.
            var outputShown = false
            var result = CheckResult(id: check.id, name: check.name, status: .passed, score: maxScore, maxScore: maxScore,
                                     durationSeconds: Date().timeIntervalSince(checkStarted))
            switch outcome {
            case .finished:
                break
            case .failed(let failure):
                result.status = .failed
                result.failure = failure
            case .notReady(let reason):
                result.status = .failed
                if let first = notReadyCheck, notReady == reason {
                    // Said in full once, under the first check that met it.
                    result.failure = CheckFailure(Self.notReadyPrefix + reason.firstLine,
                                                  hint: "the program's output is shown under the check '\(first)'")
                } else {
                    result.failure = CheckFailure(Self.notReadyPrefix + reason)
                    notReadyCheck = check.name
                }
                notReady = reason
                outputShown = true
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
            } else if case .notReady = outcome {
                // Never started, so it cannot have died.
            } else if let server, let said = result.failure, check.id != RaceDetector.checkID,
                      let died = await server.exitFailure(check: check.name, checkSaid: said) {
                // (The race check reads the detector's reports, which outlive the server.)
                // "Connection refused" is what the check saw; that the server died is why.
                result.status = .error
                result.failure = died
                outputShown = true
            }
            if result.status != .passed {
                result.score = 0
                failed = true
                if stage.hidden {
                    result.failure = Self.hiddenFailure
                } else if !outputShown, let run, let output = await Self.output(of: run, since: outputBefore),
                          !Self.shows(result.failure, output: output) {
                    result.programOutput = output
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
        return (StageResult(position: position, id: stage.id, name: stage.name, hidden: stage.hidden,
                            status: failed ? .failed : .passed, checks: results, durationSeconds: Date().timeIntervalSince(started)),
                notReady)
    }

    /// Runs `body` (a check) while telling `events` about any wait of it that lasts
    /// `waitShownAfter` seconds, each distinct wait once and at most three: a check blocked
    /// on a handler says so instead of looking hung.
    static func announcingWaits(of activity: CheckActivity, check: String, stage: ExerciseManifest.Stage,
                                events: @Sendable (Event) -> Void, _ body: () async -> Outcome) async -> Outcome {
        await withoutActuallyEscaping(events) { events in
            await withTaskGroup(of: Void.self, returning: Outcome.self) { group in
                group.addTask {
                    var announced: [String] = []
                    while announced.count < 3 {
                        do { try await Task.sleep(nanoseconds: 200_000_000) } catch { return }
                        if let wait = activity.lasting(waitShownAfter), !announced.contains(wait.what) {
                            announced.append(wait.what)
                            events(.checkWaiting(check: check, stage: stage, what: wait.what))
                        }
                    }
                }
                let outcome = await body()
                group.cancelAll()
                return outcome
            }
        }
    }

    /// How long a check waits before the log says what it waits for.
    public static let waitShownAfter = 1.5

    enum Outcome: Sendable {
        case finished
        case failed(CheckFailure)
        /// The server program never accepted connections (typed: the grader blocks the
        /// stages after it and records it as the run's outcome).
        case notReady(String)
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
                    outcome = .notReady(notReady.reason)
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
