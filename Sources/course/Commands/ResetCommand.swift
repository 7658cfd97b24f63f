import ArgumentParser
import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget progress on one lesson or exercise, or on everything (a backup is kept).")

    @Argument(help: "A lesson or exercise id. Without one, all progress is reset.", completion: .custom(lessonIDCompletions))
    var id: String?

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation when resetting everything.")
    var yes = false

    @OptionGroup var global: GlobalOptions

    struct ResetJSON: Encodable {
        let reset: String
        let backup: String
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
        let backup = try store.reset(scope)
        if global.json {
            try StandardOutput.json(ResetJSON(reset: label, backup: backup.path))
        } else {
            try StandardOutput.write("Reset \(label). The previous progress is saved in \(backup.path)\n")
        }
    }
}
