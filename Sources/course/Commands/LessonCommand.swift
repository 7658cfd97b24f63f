import ArgumentParser
import CourseEngine
import Foundation

struct LessonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Read a lesson in the terminal (the next unread one if no id is given).",
        discussion: "ID is a lesson id (go-fundamentals), its number in the roadmap (1), or an unambiguous start of an id (go-f).")

    @Argument(help: "The lesson to read.", completion: .custom(lessonIDCompletions))
    var id: String?

    @Flag(name: .long, help: "Write the lesson as an HTML page (rendered by cmark) instead.")
    var html = false

    @Flag(name: .long, help: "Show the answers to the lesson's self-check questions, each after its question.")
    var answers = false

    @Option(name: [.short, .long], help: ArgumentHelp("With --html: the file to write (default: stdout).", valueName: "file"))
    var output: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if output != nil && !html { throw ValidationError("--output goes with --html") }
    }

    func run() throws {
        let context = try CommandContext(global)
        let lesson: Roadmap.Lesson
        if let id {
            lesson = try context.course.roadmap.resolveLesson(id, roadmapPath: Course.roadmapDisplayPath)
        } else {
            let (store, _) = try context.openStore()
            let status = try context.status(store)
            lesson = context.course.roadmap.lessons.first { !status.isRead($0) } ?? context.course.roadmap.lessons[0]
        }
        if answers {
            try LessonPresenter(context: context).presentAnswers(lesson, html: html, output: output)
        } else {
            try LessonPresenter(context: context).present(lesson, html: html, output: output)
        }
    }
}
