import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course hint [EXERCISE]`: one more hint for the stage the learner's latest check
/// stopped at (stage 1 before any check), from the exercise's HINTS.md.
struct HintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Show a hint for the stage you are stuck on (one more each time you ask).",
        discussion: """
            The stage is the one your latest `course check` failed at (stage 1 if you have not \
            checked yet); hints for the check that failed there come first. Hints go from a nudge \
            to nearly the answer; the ones you have seen are shown again above the new one. \
            `course reset EXERCISE` forgets them.
            """)

    @Argument(help: "The exercise id (default: the one whose workspace folder you are in, else the one you checked last until you pass it, else the next on the roadmap).")
    var exerciseID: String?

    @OptionGroup var global: GlobalOptions

    struct HintJSON: Encodable {
        let exercise: String
        let stage: Int
        let stageID: String
        let stageName: String
        /// The check the latest run failed at, when it got to this stage.
        let failedCheck: String?
        /// The HINTS.md section the reveals are counted for: `stage`, `stage/check` or `stage/check/tag`.
        let section: String
        let shown: Int
        let total: Int
        /// False when every hint had been shown already.
        let revealed: Bool
        let hints: [String]
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let id = try exerciseID ?? context.currentExercise(store)
        let exercise = try context.exercise(id)
        let latest = try store.attempts(exerciseID: id).last
        if let latest, latest.passed {
            try say(context, "You have passed `\(id)`. `course solution \(id)` shows the sample solution to compare with yours.")
            return
        }
        // Stages run in order and stop at the first failure: the one after those passed.
        let position = min(latest?.stagesPassed ?? 0, exercise.stages.count - 1)
        let stage = exercise.stages[position]
        // The check that failed there, when the latest check got that far.
        let failedCheck = latest.flatMap { $0.stagesPassed == position ? $0.failedCheck : nil }
        let (section, all) = try ExerciseHints.load(exercise)?.hints(for: stage.id, check: failedCheck, tag: latest?.failureTag)
            ?? (stage.id, [])
        if all.isEmpty {
            try say(context, "There are no hints for stage \(position + 1), *\(stage.name)*, of `\(id)`. "
                        + "The exercise's README says what each stage checks: `course next` shows it.")
            return
        }
        let before = try store.hintsShown(exerciseID: id, stageID: section)
        let shown = try store.revealHint(exerciseID: id, stageID: section, available: all.count)
        let revealed = shown > before

        if global.json {
            try StandardOutput.json(HintJSON(exercise: id, stage: position + 1, stageID: stage.id, stageName: stage.name,
                                             failedCheck: failedCheck, section: section, shown: shown,
                                             total: all.count, revealed: revealed, hints: all.prefix(shown).map(\.markdown)))
            return
        }
        var page = "# Hints: stage \(position + 1), \(stage.name) (`\(id)`)\n\n"
        if let failedCheck, let name = checkName(failedCheck, stage: stage, of: exercise) {
            page += "Your latest check failed at *\(name)*\(section == stage.id ? "" : "; the first hints are about that check")."
                + "\n\n"
        }
        for (index, hint) in all.prefix(shown).enumerated() {
            page += "**Hint \(index + 1) of \(all.count)**\n\n\(hint.markdown)\n\n"
        }
        if !revealed {
            page += "---\n\nNo more hints for this stage: you have seen all \(all.count). "
                + "Compare what your program printed with the expected output in `course check`, or re-read the exercise's README.\n"
        } else if shown == all.count {
            page += "---\n\nThat was the last hint for this stage.\n"
        } else {
            page += "---\n\n\(all.count - shown) more: run `course hint \(id)` again if you are still stuck.\n"
        }
        try StandardOutput.write(context.renderer(linksIn: exercise.folder ?? context.course.exercisesURL).render(MarkdownDocument(parsing: page)))
    }

    /// The name the suite gives `checkID` in `stage`, for saying which check failed.
    private func checkName(_ checkID: String, stage: ExerciseManifest.Stage, of exercise: ExerciseManifest) -> String? {
        let stages = try? Pieces.registry.suite(exercise.checks)?.stages(for: exercise)
        return stages?[stage.id]?.first { $0.id == checkID }?.name
    }

    private func say(_ context: CommandContext, _ markdown: String) throws {
        if global.json {
            try StandardOutput.json(["message": markdown])
        } else {
            try StandardOutput.write(context.message(markdown))
        }
    }
}
