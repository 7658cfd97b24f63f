import ArgumentParser
import CourseEngine
import Foundation

/// `course` with no command: where am I, what next. The first run creates the workspace
/// and shows the roadmap.
struct Home: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Where you are and what comes next (what `course` alone runs).",
        shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    struct HomeJSON: Encodable {
        let firstRun: Bool
        let workspace: String
        let lessonsRead: Int
        let lessonsTotal: Int
        let exercisesPassed: Int
        let exercisesTotal: Int
        let next: String
        let command: String?
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, firstRun) = try context.openStore()
        let status = try context.status(store)
        let roadmap = context.course.roadmap
        if global.json {
            let (next, command): (String, String?)
            switch status.next {
            case .lesson(let l): (next, command) = ("lesson:\(l.id)", "course lesson \(l.id)")
            case .exercise(let id, _): (next, command) = ("exercise:\(id)", "course check \(id)")
            case .finished: (next, command) = ("finished", nil)
            }
            try StandardOutput.json(HomeJSON(firstRun: firstRun, workspace: context.workspace.url.path,
                                             lessonsRead: status.lessonsRead, lessonsTotal: roadmap.lessons.count,
                                             exercisesPassed: status.exercisesPassed, exercisesTotal: roadmap.exercises.count,
                                             next: next, command: command))
            return
        }
        if firstRun {
            var text = context.message("Welcome! Your workspace is \(context.workspace.url.path); your progress is saved in `progress.sqlite` there.") + "\n"
            let view = RoadmapView(course: context.course, status: status, wordCounts: context.wordCounts())
            text += context.roadmapRenderer().render(view.document())
            text += "\n" + context.nextStep(status.next)
            text += context.message("Other commands: `course roadmap`, `course progress`, `course --help`.")
            try context.show(text)
            return
        }
        var text = context.styled(roadmap.title, TextStyle(bold: true, color: .brightCyan)) + "\n"
        text += status.summaryLine + "\n"
        text += context.nextStep(status.next)
        text += context.message("`course roadmap` shows the whole course; `course progress` shows the details.")
        try StandardOutput.write(text)
    }
}
