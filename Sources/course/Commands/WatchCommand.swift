import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course watch [EXERCISE]`: checks the learner's code at once, then again each time a
/// file of it changes, until `q`.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Check your code for an exercise now and again each time you save a file.",
        discussion: """
            Every run is recorded like `course check`. Changes are gathered until 300 ms pass \
            without one; a change during a check runs it once more afterwards; a file that \
            appears and is gone again meanwhile (an editor's temporary file) is no change. \
            Each run keeps to one screen: the first failing check in full, the others one line \
            each, and on a terminal a stage that passed folded into one line.
            On a terminal: q or Ctrl-D quits, Enter runs the check again. Otherwise a line \
            `q` on standard input quits; the end of standard input does not (use Ctrl-C or \
            SIGTERM). Exit status: 0 after q, 128+signal after a signal.
            """)

    @OptionGroup var target: CheckTarget
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if global.json { throw ValidationError("--json does not go with watch: use `course check --json`") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let check = try ExerciseCheck(context: context, store: store, exerciseID: target.exerciseID, dir: target.dir,
                                      lastStage: target.stage, json: false)
        let watcher = try FileWatcher(root: check.folder)
        let terminal = TerminalMode.cbreak()
        defer { terminal?.restore() }
        let monitor = try WatchMonitor(watcher: watcher, terminal: terminal)
        monitor.start()
        let screen = WatchScreen(context: context, folder: check.folder, keys: terminal != nil)

        var run = 1
        var changes: [String] = []
        while true {
            screen.begin(run: run, changes: changes)
            monitor.checkStarted()
            do {
                let outcome = try await check.run(seed: target.seed, watching: true, notes: run == 1) { monitor.quitRequested }
                monitor.checkEnded()
                if !monitor.quitRequested { screen.end(outcome, lastStage: target.stage) }
            } catch let error as CourseError {
                monitor.checkEnded()
                screen.failed(error)
            } catch let refused as SubmissionRefused {
                // A broken course.yaml is fixed like any other file: watching goes on.
                monitor.checkEnded()
                screen.failed(refused.courseError)
            }
            switch await monitor.next() {
            case .quit(let status):
                Orphans.sweep()
                if status != 0 { throw ExitCode(status) }
                return
            case .changed(let files):
                changes = files
                run += 1
            }
        }
    }
}
