import ArgumentParser
import CProcessSupport
import CourseEngine
import Foundation
import Grading

/// `course check [EXERCISE]`: builds the learner's code, runs the exercise's stages against
/// it, shows each check as it finishes, and records the attempt.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build and check your code for an exercise (default: the one you are on).",
        discussion: "Your code lives in the workspace, in a folder named after the exercise (created from the starter on first use).")

    @Argument(help: "The exercise id (default: the next exercise on the roadmap).")
    var exerciseID: String?

    @Option(name: .long, help: "Run stages 1 through N only.")
    var stage: Int?

    @Option(name: .long, help: ArgumentHelp("Check the code in this folder instead of the workspace's.", valueName: "path"))
    var dir: String?

    @Option(name: .long, help: "Seed for the checks' randomness (replays a run).")
    var seed: UInt64?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let stage, stage < 1 { throw ValidationError("--stage must be 1 or more (got \(stage))") }
    }

    func run() async throws {
        _ = cps_set_child_subreaper()
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let id = try exerciseID ?? nextExercise(context, store: store)
        let exercise = try context.exercise(id)
        if let stage, stage > exercise.stages.count {
            throw CourseError("exercise '\(id)' has \(exercise.stages.count) stages (asked for --stage \(stage))")
        }
        let folder = try submissionFolder(context, exercise: exercise)
        let seed = makeSeed(seed)
        let cache = context.workspace.url.appendingPathComponent(".cache/go-build")
        let grader = Grader(registry: Pieces.registry, seed: seed, lastStage: stage,
                            runOptions: SubmissionRun.Options(goCache: cache), versions: CommandContext.versions)
        let log = CheckLog(context: context, enabled: !global.json)
        log.header(exercise: exercise, folder: folder, seed: seed)
        let result = try await grader.grade(exercise: exercise, folder: folder) { log.event($0) }
        Orphans.sweep()

        let requested = result.stages
        let allPassed = !requested.isEmpty && requested.allSatisfy { $0.status == .passed }
        try store.recordAttempt(Attempt(exerciseID: exercise.id, startedAt: result.startedAt, durationSeconds: result.durationSeconds,
                                        passed: allPassed && stage == nil, stagesPassed: result.stagesPassed,
                                        stagesTotal: exercise.stages.count, summary: result.summary),
                                stages: result.stages.map { ($0.name, AttemptStage.Outcome(rawValue: $0.status.rawValue) ?? .notRun) })
        if global.json {
            try StandardOutput.write(String(decoding: try result.encoded(), as: UTF8.self) + "\n")
        } else {
            log.footer(result, allPassed: allPassed, next: allPassed ? try context.status(store).next : nil)
        }
        if !allPassed { throw ExitCode(1) }
    }

    func nextExercise(_ context: CommandContext, store: ProgressStore) throws -> String {
        if case .exercise(let id, _) = try context.status(store).next { return id }
        if let first = context.course.roadmap.exercises.first(where: { context.course.exerciseIDs.contains($0) }) { return first }
        throw CourseError("there is no exercise to check yet", hint: "`course roadmap` lists the lessons and their exercises")
    }

    /// `--dir`, or the exercise's folder in the workspace, made from the starter if new.
    func submissionFolder(_ context: CommandContext, exercise: ExerciseManifest) throws -> URL {
        if let dir {
            let url = URL(fileURLWithPath: dir).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw CourseError("no folder \(dir)") }
            return url
        }
        let folder = context.workspace.url.appendingPathComponent(exercise.id)
        if !FileManager.default.fileExists(atPath: folder.path) {
            guard let starter = exercise.folder?.appendingPathComponent("starter/go"),
                  FileManager.default.fileExists(atPath: starter.path) else {
                throw CourseError("no code for '\(exercise.id)' at \(folder.path)", hint: "create the folder with your program in it, or use --dir")
            }
            try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: starter, to: folder)
            StandardOutput.error("Created \(folder.path) from the starter: write your solution there, then run `course check` again.\n")
        }
        return folder
    }
}

/// The live log of a check run: one line per check as it finishes, failures in full.
final class CheckLog: @unchecked Sendable {
    let context: CommandContext
    let enabled: Bool

    init(context: CommandContext, enabled: Bool) {
        self.context = context
        self.enabled = enabled
    }

    func say(_ text: String) {
        if enabled { try? StandardOutput.write(text + "\n") }
    }

    func header(exercise: ExerciseManifest, folder: URL, seed: UInt64) {
        say(context.styled("\(exercise.title) (\(exercise.id))", .heading) + context.styled("  \(folder.path) · seed \(seed)", .faint))
    }

    func event(_ event: Grader.Event) {
        switch event {
        case .building:
            break
        case .built(.built(let seconds)):
            say(context.styled("✔", .success) + " built in \(String(format: "%.1f", seconds)) s")
        case .built(.failed(let reason)), .built(.notReady(let reason)):
            say(context.styled("✘ the build failed", .failure))
            say(reason.trimmingCharacters(in: .newlines).indentedForLog)
        case .stageStarted(let stage, let position):
            say(context.styled("Stage \(position): \(stage.name)\(stage.hidden ? " (hidden)" : "")", .heading))
        case .checkFinished(let check, _):
            let mark = check.status == .passed ? context.styled("  ✔", .success) : context.styled("  ✘", .failure)
            say("\(mark) \(check.name)" + context.styled(String(format: "  %.2f s", check.durationSeconds), .faint))
            if let failure = check.failure, check.status != .passed {
                say(failure.description.indentedForLog)
            }
        case .stageFinished:
            break
        }
    }

    func footer(_ result: SubmissionResult, allPassed: Bool, next: LearnerStatus.Step?) {
        let score = "\(SubmissionResult.format(result.score))/\(SubmissionResult.format(result.maxScore)) points"
        if allPassed {
            say(context.styled("Passed: \(result.stagesPassed)/\(result.stages.count) stages, \(score).", .success))
            if let next { say(context.nextStep(next)) }
        } else {
            say(context.styled("Not yet: \(result.summary) (\(score)).", .failure))
            say("Fix it and run `course check` again; `course hint` helps if you are stuck.")
        }
    }
}

extension String {
    /// Indented by four spaces for the check log.
    var indentedForLog: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
