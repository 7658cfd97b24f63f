import ArgumentParser
import CourseEngine
import Foundation

struct NextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Open whatever comes next: the next unread lesson, or the next exercise to pass.")

    @OptionGroup var global: GlobalOptions

    struct NextJSON: Encodable {
        let kind: String
        let lesson: String?
        let exercise: String?
        let title: String?
        let command: String?
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let step = try context.status(store).next
        if global.json {
            switch step {
            case .lesson(let lesson):
                try StandardOutput.json(NextJSON(kind: "lesson", lesson: lesson.id, exercise: nil, title: lesson.title, command: "course lesson \(lesson.id)"))
            case .exercise(let id, let lesson):
                try StandardOutput.json(NextJSON(kind: "exercise", lesson: lesson.id, exercise: id, title: nil, command: "course check \(id)"))
            case .finished:
                try StandardOutput.json(NextJSON(kind: "finished", lesson: nil, exercise: nil, title: nil, command: nil))
            }
            return
        }
        switch step {
        case .lesson(let lesson):
            try LessonPresenter(context: context).present(lesson)
        case .exercise(let id, let lesson):
            let spec = context.course.exercisesURL.appendingPathComponent(id).appendingPathComponent("README.md")
            var text = try SourceFile.read(spec, displayPath: "Exercises/\(id)/README.md")
            text += "\n\n---\n\nThis exercise practises *\(lesson.title)*. When your program is ready, run `course check \(id)`.\n"
            try context.show(context.renderer(linksIn: spec.deletingLastPathComponent()).render(MarkdownDocument(parsing: text)))
        case .finished:
            try StandardOutput.write(context.nextStep(.finished))
        }
    }
}
