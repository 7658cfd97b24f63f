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
        try? StandardOutput.write(text + "\n")
    }

    /// Before run `number`, started by `changes` (empty for the first run or a key press).
    func begin(run number: Int, changes: [String]) {
        if context.terminal.isTerminal {
            try? StandardOutput.write(Self.clear)
        } else {
            say(String(repeating: "─", count: min(context.terminal.width, 72)))
        }
        var header = "watching \(Self.display(folder)) · run \(number)"
        if !changes.isEmpty {
            let shown = changes.prefix(3).joined(separator: ", ") + (changes.count > 3 ? " and \(changes.count - 3) more" : "")
            header += " (\(shown) changed)"
        }
        say(context.styled(header + " · " + keyHelp, .faint))
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
        StandardOutput.error("error: \(error)\n")
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
