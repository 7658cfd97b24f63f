import ArgumentParser
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

    @OptionGroup var target: CheckTarget
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let check = try ExerciseCheck(context: context, store: store, exerciseID: target.exerciseID, dir: target.dir,
                                      lastStage: target.stage, json: global.json)
        guard let outcome = try await check.run(seed: target.seed), outcome.allPassed else { throw ExitCode(1) }
    }
}

/// What `course check` and `course watch` check: which exercise, whose code, which stages,
/// with which seed.
struct CheckTarget: ParsableArguments {
    @Argument(help: "The exercise id (default: the one whose workspace folder you are in, else the one you checked last until you pass it, else the next on the roadmap).")
    var exerciseID: String?

    @Option(name: .long, help: "Run stages 1 through N only.")
    var stage: Int?

    @Option(name: .long, help: ArgumentHelp("Check the code in this folder instead of the workspace's.", valueName: "path"))
    var dir: String?

    @Option(name: .long, help: "Seed for the checks' randomness (replays a run; watch uses it for every run).")
    var seed: UInt64?

    func validate() throws {
        if let stage, stage < 1 { throw ValidationError("--stage must be 1 or more (got \(stage))") }
    }
}
