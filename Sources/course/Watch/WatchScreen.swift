import CourseEngine
import Foundation

/// What `course watch` prints around each check: on a terminal the screen is cleared and a
/// one-line header says what is watched; elsewhere (a pipe, a log file) a separator line
/// keeps the runs apart instead.
struct WatchScreen {
    let context: CommandContext
    let folder: URL
    /// Standard input is a terminal in cbreak mode (single keys work).
    let keys: Bool

    private static let clear = "\u{1B}[H\u{1B}[2J\u{1B}[3J"

    func say(_ text: String) {
        let shown = context.terminal.isTerminal ? TerminalText.wrap(text, width: context.terminal.width) : text
        try? StandardOutput.write(shown + "\n")
    }

    /// Before run `number`, started by `changes` (empty for the first run or a key press).
    func begin(run number: Int, changes: [String]) {
        if context.terminal.isTerminal {
            try? StandardOutput.write(Self.clear)
        } else {
            say(String(repeating: "─", count: min(context.terminal.width, 72)))
        }
        // Fitted to a terminal (or --width); a log file takes the line as it is.
        let width = context.terminal.isTerminal || context.options.width != nil ? context.terminal.width : Int.max
        say(context.styled(Self.header(folder: Self.display(folder), run: number, changes: changes, keys: keyHelp, width: width), .faint))
    }

    /// "watching ~/course/workspace/users-api · run 3 (store.go changed) · q quits, enter
    /// runs again", made to fit `width` columns: the list of changes, then the folder (from
    /// the front), then the keys are shortened until it does.
    static func header(folder: String, run number: Int, changes: [String], keys: String, width: Int) -> String {
        func compose(_ folder: String, _ changed: String, _ keys: String) -> String {
            "watching \(folder) · run \(number)" + (changed.isEmpty ? "" : " (\(changed) changed)") + " · " + keys
        }
        var changed = changes.prefix(3).joined(separator: ", ") + (changes.count > 3 ? " and \(changes.count - 3) more" : "")
        var line = compose(folder, changed, keys)
        if TextWidth.of(line) > width, changes.count > 1 {
            changed = "\(changes[0]) and \(changes.count - 1) more"
            line = compose(folder, changed, keys)
        }
        // The folder is on the next line in full: it gives way before the keys do.
        var over = TextWidth.of(line) - width
        var shownFolder = folder
        if over > 0 {
            shownFolder = CheckLog.shortened(folder, to: max(16, folder.count - over))
            line = compose(shownFolder, changed, keys)
        }
        over = TextWidth.of(line) - width
        if over > 0 {
            line = compose(shownFolder, changed, "q quits")
        }
        return TerminalText.fit(line, width: width)
    }

    /// The keys that work, repeated below each run (a long run scrolls the header away).
    var keyHelp: String { keys ? "q quits, enter runs again" : "q quits" }

    /// After a run: what happens now.
    func end(_ outcome: ExerciseCheck.Outcome?, lastStage: Int?) {
        if let outcome, outcome.allPassed {
            let what = lastStage.map { "Stages 1–\($0) pass (run without --stage for the rest)." } ?? "All stages pass."
            say(context.styled(what, .success) + " Still watching: save a change to check again (\(keyHelp)).")
        } else {
            say(context.styled("Waiting for changes… (\(keyHelp))", .faint))
        }
    }

    /// An input error in one run (a bad `course.yaml` in the folder, say) does not stop
    /// the watcher: it is shown, and the next change runs the check again.
    func failed(_ error: CourseError) {
        StandardOutput.error("error: \(shown(error))\n")
        say(context.styled("Waiting for changes… (\(keyHelp))", .faint))
    }

    /// The folder with the home folder shortened to `~`.
    static func display(_ folder: URL) -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let path = folder.path
        if !home.isEmpty, home != "/", path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
        return path
    }
}
