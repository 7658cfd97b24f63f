import CourseEngine
import Foundation
import Grading

/// What a command needs, set up once: the course, the workspace, the terminal.
struct CommandContext {
    let options: GlobalOptions
    let environment: [String: String]
    let terminal: TerminalInfo
    let course: Course
    let workspace: Workspace
    /// How the learner runs the course, for the commands messages tell them to type.
    let commandName: String

    init(_ options: GlobalOptions) throws {
        self.options = options
        environment = ProcessInfo.processInfo.environment
        commandName = CommandName.detect(environment: environment, arguments: CommandLine.arguments)
        terminal = TerminalInfo.detect(color: options.json ? .never : options.color, width: options.width, environment: environment)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let root = Course.locateRoot(environment: environment, executable: Bundle.main.executableURL, currentDirectory: cwd) else {
            throw CourseError("cannot find the course: no Curriculum/ROADMAP.md above this folder or the course executable",
                              hint: "run course from its folder, or set COURSE_ROOT to it")
        }
        course = try Course(root: root)
        workspace = Workspace.resolve(flag: options.workspace, environment: environment, courseRoot: root, currentDirectory: cwd)
    }

    /// The offline Go module proxy setup built for this course, if it did.
    var goProxy: GoModuleProxy? { GoModuleProxy.locate(courseRoot: course.root, environment: environment) }

    /// Opens the progress store, creating the workspace on first use.
    func openStore() throws -> (store: ProgressStore, firstRun: Bool) {
        let firstRun = try workspace.create()
        return (try ProgressStore(url: workspace.progressURL), firstRun)
    }

    func status(_ store: ProgressStore) throws -> LearnerStatus {
        try LearnerStatus(course: course, store: store)
    }

    /// A renderer for `lesson` (nil: a message), whose links to lessons show the command
    /// that opens them.
    func renderer(for lesson: Roadmap.Lesson?) -> TerminalRenderer {
        renderer(linksIn: lesson.map { course.lessonURL($0).deletingLastPathComponent() } ?? course.curriculumURL)
    }

    /// A renderer for a page in `folder` (an exercise's README, its hints): a relative link
    /// to a lesson shows the lesson's title and the command that opens it, never a path
    /// like `../../Curriculum/lessons/go-fundamentals.md`; one to another exercise names it.
    func renderer(linksIn folder: URL) -> TerminalRenderer {
        let course = self.course
        let command = commandName
        return TerminalRenderer(width: terminal.width, capabilities: terminal.capabilities, command: command) { destination in
            if let lesson = course.linkedLesson(destination, in: folder) {
                return "\(lesson.title): lesson \(lesson.number), \(command) lesson \(lesson.id)"
            }
            if let exercise = course.linkedExercise(destination, in: folder) {
                return "the exercise \(exercise)"
            }
            return nil
        }
    }

    /// A renderer for the roadmap page, whose links are the lessons themselves.
    func roadmapRenderer() -> TerminalRenderer {
        TerminalRenderer(width: terminal.width, capabilities: terminal.capabilities, command: commandName, linkHint: RoadmapView.linkHint)
    }

    /// Shows text, through the pager on a terminal. Returns seconds the pager was open.
    @discardableResult
    func show(_ text: String) throws -> Double? {
        if terminal.isTerminal && !options.noPager {
            return try Pager(environment: environment).show(text)
        }
        try StandardOutput.write(text)
        return nil
    }

    /// Styled one-liners for command output (not markdown).
    func styled(_ text: String, _ style: TextStyle) -> String {
        style.apply(text, enabled: terminal.capabilities.color)
    }

    func wordCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for lesson in course.roadmap.lessons {
            // Reading time is for the lesson itself, not the answers kept at its end.
            if let content = try? course.lessonContent(lesson) {
                counts[lesson.id] = RoadmapView.wordCount(content.body)
            }
        }
        return counts
    }

    /// Renders a short markdown message (status lines, hints) wrapped to the width.
    func message(_ markdown: String) -> String {
        renderer(for: nil).render(MarkdownDocument(parsing: markdown))
    }

    /// `rest` as a command the learner types: "./course check users-api".
    func command(_ rest: String) -> String {
        "\(commandName) \(rest)"
    }

    /// What to do next, as a command to type.
    func nextStep(_ step: LearnerStatus.Step) -> String {
        switch step {
        case .lesson(let lesson):
            return message("Next: lesson \(lesson.number), *\(lesson.title)*. Run `course next` (or `course lesson \(lesson.id)`).")
        case .exercise(let id, let lesson):
            return message("Next: exercise `\(id)` (from *\(lesson.title)*). Run `course next` to read it.")
        case .finished:
            return message("You have read every lesson and passed every exercise. Well done.")
        }
    }
}
