import CourseEngine
import Foundation
import Grading

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

    func note(_ text: String) {
        say(context.styled("note: ", .faint) + text)
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
        case .built(.refused(let reason)):
            say(context.styled("✘ the submission could not be graded", .failure))
            say(reason.trimmingCharacters(in: .newlines).indentedForLog)
        case .stageStarted(let stage, let position):
            say(context.styled("Stage \(position): \(stage.name)\(stage.hidden ? " (hidden)" : "")", .heading))
        case .checkFinished(let check, _):
            let mark = check.status == .passed ? context.styled("  ✔", .success) : context.styled("  ✘", .failure)
            say("\(mark) \(check.name)" + context.styled(String(format: "  %.2f s", check.durationSeconds), .faint))
            if let failure = check.failure, check.status != .passed {
                say(failure.description.indentedForLog)
            }
            if let output = check.programOutput, check.status != .passed {
                say(programOutput(output))
            }
        case .stageFinished:
            break
        }
    }

    /// The outcome and what to do next; `watching` when `course watch` runs the check again
    /// by itself.
    /// The program's own output during a failing check, each line marked as its own and
    /// the whole cut to its last lines (control characters shown, never obeyed).
    func programOutput(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let shown = lines.suffix(Self.outputLines)
        var out = ["    your program's output meanwhile" + (lines.count > shown.count ? " (last \(shown.count) of \(lines.count) lines):" : ":")]
        for line in shown {
            let visible = line.controlCharactersReplaced(keeping: ["\t"])
            out.append(context.styled("    │ ", .faint) + visible)
        }
        return out.joined(separator: "\n")
    }

    static let outputLines = 20

    func footer(_ result: SubmissionResult, allPassed: Bool, next: LearnerStatus.Step?, watching: Bool = false) {
        let score = "\(SubmissionResult.format(result.score))/\(SubmissionResult.format(result.maxScore)) points"
        if allPassed {
            say(context.styled("Passed: \(result.stagesPassed)/\(result.stages.count) stages, \(score).", .success))
            if let next { say(context.nextStep(next)) }
        } else {
            say(context.styled("Not yet: \(result.summary) (\(score)).", .failure))
            say(watching ? "Fix it and save: the check runs again. `course hint` helps if you are stuck."
                         : "Fix it and run `course check` again; `course hint` helps if you are stuck.")
        }
    }
}

extension String {
    /// Indented by four spaces for the check log.
    var indentedForLog: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
