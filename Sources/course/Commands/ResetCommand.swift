import ArgumentParser
import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget progress on one lesson or exercise, or on everything (a backup is kept).",
        discussion: """
            Resetting an exercise forgets its attempts and hints; your code in workspace/EXERCISE \
            stays as it is. `course reset EXERCISE --starter` also puts the starter code back, \
            after moving your code to backups/ in the workspace.
            """)

    @Argument(help: "A lesson or exercise id. Without one, all progress is reset.", completion: .custom(lessonIDCompletions))
    var id: String?

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation when resetting everything.")
    var yes = false

    @Flag(name: .long, help: "With an exercise: put its starter code back in your workspace folder (your code is moved to backups/ first, never deleted).")
    var starter = false

    @OptionGroup var global: GlobalOptions

    struct ResetJSON: Encodable {
        let reset: String
        let backup: String
        /// For an exercise: the folder of the learner's code, and where `--starter` moved it.
        let code: String?
        let codeBackup: String?
    }

    func validate() throws {
        if starter && id == nil { throw ValidationError("--starter goes with an exercise: `course reset EXERCISE --starter`") }
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let roadmap = context.course.roadmap
        let scope: ProgressStore.ResetScope
        let label: String
        if let id {
            if roadmap.exercises.contains(id) || context.course.exerciseIDs.contains(id) {
                scope = .exercise(id)
                label = "exercise \(id)"
            } else {
                let lesson = try roadmap.resolveLesson(id, roadmapPath: Course.roadmapDisplayPath)
                scope = .lesson(lesson.id)
                label = "lesson \(lesson.id)"
            }
        } else {
            scope = .everything
            label = "all progress"
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CourseError("resetting all progress needs confirmation", hint: "run `course reset --yes`, or name a lesson or exercise")
                }
                StandardOutput.error("Reset all progress in \(store.url.path)? A backup is kept. [y/N] ")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    StandardOutput.error("Nothing was reset.\n")
                    return
                }
            }
        }
        if starter, case .lesson = scope {
            throw CourseError("--starter goes with an exercise, and '\(id ?? "")' is a lesson")
        }
        let backup = try store.reset(scope)
        var code: URL?
        var moved: URL?
        if case .exercise(let exercise) = scope {
            let folder = context.workspace.url.appendingPathComponent(exercise)
            code = folder
            if starter { moved = try restoreStarter(context: context, exercise: exercise, folder: folder) }
        }
        if global.json {
            try StandardOutput.json(ResetJSON(reset: label, backup: backup.path, code: code?.path, codeBackup: moved?.path))
            return
        }
        var text = "Reset \(label). The previous progress is saved in \(backup.path)\n"
        if case .exercise(let exercise) = scope, let code {
            if starter {
                text += moved.map { "Your code was moved to \($0.path); " } ?? ""
                text += "\(code.path) holds the starter code again.\n"
            } else if FileManager.default.fileExists(atPath: code.path) {
                text += "Your code in \(code.path) was kept. To start again from the starter, run "
                    + "`\(context.command("reset \(exercise) --starter"))` (your code is moved to backups/ first, never deleted).\n"
            } else {
                text += "The next `\(context.command("check \(exercise)"))` copies the starter code to \(code.path).\n"
            }
        }
        try StandardOutput.write(text)
    }

    /// Moves what `folder` holds into `backups/EX-<time>/` beside the progress file and
    /// copies the starter in; returns where the code went (nil when there was none). The
    /// folder itself stays, so a shell or an editor open in it still is.
    private func restoreStarter(context: CommandContext, exercise id: String, folder: URL) throws -> URL? {
        let manifest = try context.exercise(id)
        guard let starter = manifest.folder?.appendingPathComponent("starter/go"),
              FileManager.default.fileExists(atPath: starter.path) else {
            throw CourseError("exercise '\(id)' has no starter code to put back", hint: "your code in \(folder.path) was left as it is")
        }
        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        let entries = try files.contentsOfDirectory(atPath: folder.path)
        var moved: URL?
        if !entries.isEmpty {
            var target = context.workspace.url.appendingPathComponent("backups/\(id)-\(SQLiteFile.stamp(Date()))")
            var n = 1
            while files.fileExists(atPath: target.path) {
                n += 1
                target = context.workspace.url.appendingPathComponent("backups/\(id)-\(SQLiteFile.stamp(Date()))-\(n)")
            }
            try files.createDirectory(at: target, withIntermediateDirectories: true)
            for entry in entries {
                try files.moveItem(at: folder.appendingPathComponent(entry), to: target.appendingPathComponent(entry))
            }
            moved = target
        }
        for entry in try files.contentsOfDirectory(atPath: starter.path) {
            try files.copyItem(at: starter.appendingPathComponent(entry), to: folder.appendingPathComponent(entry))
        }
        return moved
    }
}
