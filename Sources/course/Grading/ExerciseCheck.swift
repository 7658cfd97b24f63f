import CourseEngine
import Foundation
import Grading

/// One check of the learner's code, shared by `course check` and `course watch`: grade the
/// folder, show each check as it finishes, record the attempt in the progress store.
struct ExerciseCheck {
    let context: CommandContext
    let store: ProgressStore
    let exercise: ExerciseManifest
    let folder: URL
    /// `--stage N`: run stages 1 through N only (such a run never counts as a pass).
    let lastStage: Int?
    /// `--json`: no live log; the caller prints the result.
    let json: Bool

    struct Outcome {
        let result: SubmissionResult
        /// Every requested stage passed.
        let allPassed: Bool
    }

    /// Resolves the exercise (`id`, else the one the learner is on: `ExerciseChoice`), its folder (`dir`, else
    /// the workspace's, made from the starter) and checks `--stage` against its stages.
    init(context: CommandContext, store: ProgressStore, exerciseID: String?, dir: String?, lastStage: Int?, json: Bool) throws {
        let id = try exerciseID ?? context.currentExercise(store, dir: dir)
        let exercise = try context.exercise(id)
        if let lastStage, lastStage > exercise.stages.count {
            throw CourseError("exercise '\(id)' has \(exercise.stages.count) stages (asked for --stage \(lastStage))")
        }
        self.context = context
        self.store = store
        self.exercise = exercise
        self.folder = try context.submissionFolder(for: exercise, dir: dir)
        self.lastStage = lastStage
        self.json = json
    }

    /// Grades the folder once. Returns nil, recording nothing, when `abandoned()` says the
    /// run was cut short (a watcher quitting mid-check kills the submission's processes).
    /// `notes`: say the notes about the folder (`course watch` says them on its first run only,
    /// so each run keeps to one screen).
    func run(seed given: UInt64?, watching: Bool = false, notes: Bool = true,
             abandoned: @escaping () -> Bool = { false }) async throws -> Outcome? {
        Orphans.adoptOrphans()
        ScratchNotice.sweep()
        defer { Scratch.current.remove() }
        let seed = makeSeed(given)
        let cache = context.workspace.url.appendingPathComponent(".cache/go-build")
        let proxy = context.goProxy
        // An exercise that grades every stage by default (`all_stages: true`) is checked
        // that way too: users-tests reports each bug caught or missed, whichever stage misses one.
        let grader = Grader(registry: Pieces.registry, seed: seed, lastStage: lastStage, allStages: exercise.allStages,
                            runOptions: SubmissionRun.Options(goCache: cache, goProxy: proxy,
                                                              goModuleCache: proxy.map { GoModuleCaches.current(for: $0, in: context.workspace) }),
                            versions: CommandContext.versions)
        let log = CheckLog(context: context, enabled: !json, compact: watching, silenced: abandoned)
        log.header(exercise: exercise, folder: folder, seed: seed)
        if notes, !FileManager.default.fileExists(atPath: folder.appendingPathComponent("go.mod").path),
           FileManager.default.fileExists(atPath: folder.appendingPathComponent("main.go").path) {
            log.note("no go.mod in this folder, so it is built the old way (GOPATH mode) and `go run .` will not work here: "
                     + "`go mod init \(exercise.id)` in the folder makes it a module, as the starters are")
        }
        let result = try await grader.grade(exercise: exercise, folder: folder) { log.event($0) }
        Orphans.sweep()
        if abandoned() { return nil }

        let requested = result.stages
        let allPassed = !requested.isEmpty && requested.allSatisfy { $0.status == .passed }
        // The check a hint should help with: the first that failed, in the first stage that did.
        let failed = result.stages.first { $0.status == .failed }?.checks.first { $0.status == .failed || $0.status == .error }
        try store.recordAttempt(Attempt(exerciseID: exercise.id, startedAt: result.startedAt, durationSeconds: result.durationSeconds,
                                        passed: allPassed && lastStage == nil, stagesPassed: result.stagesPassed,
                                        stagesTotal: exercise.stages.count, summary: result.summary,
                                        failedCheck: failed?.id, failureTag: failed?.failure?.tag),
                                stages: result.stages.map { ($0.name, AttemptStage.Outcome(rawValue: $0.status.rawValue) ?? .notRun) })
        if json {
            try StandardOutput.write(String(decoding: try result.encoded(), as: UTF8.self) + "\n")
        } else {
            log.footer(result, allPassed: allPassed, next: allPassed ? try context.status(store).next : nil, watching: watching)
        }
        return Outcome(result: result, allPassed: allPassed)
    }
}
