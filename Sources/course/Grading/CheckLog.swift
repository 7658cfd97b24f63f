import CourseEngine
import Foundation
import Grading

/// The live log of a check run: one line per check as it finishes, failures in full.
///
/// `course watch` asks for the compact form, made to fit a screen: the first failing check
/// in full, every later failure on one line, and on a terminal a stage that passed folded
/// into one line once it is done, so the failure the summary names is on screen. Lines are
/// wrapped to the terminal's width between words (on a terminal, or with `--width`).
final class CheckLog: @unchecked Sendable {
    let context: CommandContext
    let enabled: Bool
    let compact: Bool
    /// True once the run is abandoned (q during `course watch`): from then on nothing is
    /// printed, so the programs killed on the way out are not reported as failures.
    let silenced: () -> Bool
    private let lock = NSLock()
    private var failuresShown = 0
    /// Rows printed since the current stage began (for folding it on a terminal).
    private var stageRows = 0
    private var stageChecks = 0

    init(context: CommandContext, enabled: Bool, compact: Bool = false, silenced: @escaping () -> Bool = { false }) {
        self.context = context
        self.enabled = enabled
        self.compact = compact
        self.silenced = silenced
    }

    /// The width lines are wrapped to: the terminal's, or `--width`; nil in a pipe or file
    /// (a log viewer wraps lines itself).
    var width: Int? {
        context.terminal.isTerminal || context.options.width != nil ? context.terminal.width : nil
    }

    /// Prints `text` and returns the rows it took.
    @discardableResult
    func say(_ text: String) -> Int {
        guard enabled, !silenced() else { return 0 }
        // Tabs (in a Go stack trace) as spaces: a wrapped line must know its width.
        let shown = width.map { TerminalText.wrap(text.replacingOccurrences(of: "\t", with: "    "), width: $0) } ?? text
        let rows = shown.split(separator: "\n", omittingEmptySubsequences: false).count
        lock.withLock { stageRows += rows }
        try? StandardOutput.write(shown + "\n")
        return rows
    }

    /// Whether rows already printed may be rubbed out and replaced: the compact form, on a
    /// terminal.
    private var rewrites: Bool { compact && context.terminal.isTerminal && enabled }

    /// Rubs out the last `rows` rows printed.
    private func erase(rows: Int) {
        guard rows > 0, !silenced() else { return }
        try? StandardOutput.write("\u{1B}[\(rows)A\u{1B}[J")
        lock.withLock { stageRows -= rows }
    }

    /// Rows of "waiting for …" notes of the running check (the compact form rubs them out
    /// when the check ends: they said what was going on, and it is over).
    private var waitRows = 0

    /// A line cut to the width (never wrapped): the one-line form of a failure.
    private func sayOneLine(_ text: String) {
        guard let width else {
            say(text)
            return
        }
        say(TerminalText.fit(text, width: width))
    }

    func header(exercise: ExerciseManifest, folder: URL, seed: UInt64) {
        let title = "\(exercise.title) (\(exercise.id))"
        var place = "  \(WatchScreen.display(folder)) · seed \(seed)"
        if let width, TextWidth.of(title) + TextWidth.of(place) > width {
            place = "  " + Self.shortened(WatchScreen.display(folder), to: max(12, width - TextWidth.of(title) - 2 - " · seed \(seed)".count))
                + " · seed \(seed)"
        }
        say(context.styled(title, .heading) + context.styled(place, .faint))
    }

    /// A path cut at the front to `limit` columns: "…/workspace/users-api".
    static func shortened(_ path: String, to limit: Int) -> String {
        guard path.count > limit else { return path }
        var parts = path.split(separator: "/").map(String.init)
        while parts.count > 1 && ("…/" + parts.joined(separator: "/")).count > limit { parts.removeFirst() }
        let shown = "…/" + parts.joined(separator: "/")
        return shown.count > limit ? "…" + shown.suffix(limit - 1) : shown
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
            lock.withLock {
                stageRows = 0
                stageChecks = 0
            }
            say(context.styled(stageTitle(stage, position: position), .heading))
        case .checkWaiting(let check, _, let what):
            let rows = say(context.styled("  ⋯ \(check): \(what)", .faint))
            lock.withLock { waitRows += rows }
        case .checkFinished(let check, _):
            let waited = lock.withLock {
                defer { waitRows = 0 }
                stageChecks += 1
                return waitRows
            }
            if rewrites { erase(rows: waited) }
            let mark = check.status == .passed ? context.styled("  ✔", .success) : context.styled("  ✘", .failure)
            guard check.status != .passed else {
                say("\(mark) \(check.name)" + context.styled(String(format: "  %.2f s", check.durationSeconds), .faint))
                return
            }
            let first = lock.withLock {
                defer { failuresShown += 1 }
                return failuresShown == 0
            }
            if compact && !first {
                sayOneLine("\(mark) \(check.name): " + (check.failure.map { String($0.message.prefix { $0 != "\n" }) } ?? check.status.rawValue))
                return
            }
            say("\(mark) \(check.name)" + context.styled(String(format: "  %.2f s", check.durationSeconds), .faint))
            if let failure = check.failure {
                say(failure.description.indentedForLog)
            }
            if let output = check.programOutput {
                say(programOutput(output))
            }
        case .stageFinished(let stage):
            foldIfPassed(stage)
        }
    }

    private func stageTitle(_ stage: ExerciseManifest.Stage, position: Int) -> String {
        "Stage \(position): \(stage.name)\(stage.hidden ? " (hidden)" : "")"
    }

    /// In the compact form on a terminal, a stage that passed becomes one line: its title,
    /// its checks and any waits are rubbed out and replaced (they are all on screen still:
    /// a stage has far fewer checks than a screen has rows).
    private func foldIfPassed(_ stage: StageResult) {
        guard rewrites, stage.status == .passed, !silenced() else { return }
        let (rows, checks) = lock.withLock { (stageRows, stageChecks) }
        erase(rows: rows)
        let line = context.styled("✔ Stage \(stage.position): \(stage.name)", .success)
            + context.styled("  \(checks) check\(checks == 1 ? "" : "s") passed, \(String(format: "%.1f", stage.durationSeconds)) s", .faint)
        say(line)
    }

    /// The program's own output during a failing check, each line marked as its own
    /// (control characters shown, never obeyed). The grader already cut it to its first
    /// lines, a crash's cause and its last lines; the compact form cuts it shorter.
    func programOutput(_ text: String) -> String {
        let cut = compact ? OutputExcerpt(headLines: 2, tailLines: 6).cut(text) : OutputExcerpt.standard.cut(text)
        var lines = cut.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var out = ["    your program's output meanwhile:"]
        for line in lines {
            let visible = line.controlCharactersReplaced(keeping: ["\t"]).replacingOccurrences(of: "\t", with: "    ")
            let bar = context.styled("    │ ", .faint)
            out.append(width.map { TerminalText.wrap(bar + visible, width: $0, continuation: bar + "  ") } ?? bar + visible)
        }
        return out.joined(separator: "\n")
    }

    func footer(_ result: SubmissionResult, allPassed: Bool, next: LearnerStatus.Step?, watching: Bool = false) {
        let score = "\(SubmissionResult.format(result.score))/\(SubmissionResult.format(result.maxScore)) points"
        if allPassed {
            say(context.styled("Passed: \(result.stagesPassed)/\(result.stages.count) stages, \(score).", .success))
            if let next { say(context.nextStep(next)) }
        } else {
            say(context.styled("Not yet: \(result.summary) (\(score)).", .failure))
            let hint = "`\(context.command("hint"))`"
            say(watching ? "Fix it and save: the check runs again. \(hint) helps if you are stuck."
                         : "Fix it and run `\(context.command("check"))` again; \(hint) helps if you are stuck.")
        }
    }
}

extension String {
    /// Indented by four spaces for the check log.
    var indentedForLog: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
