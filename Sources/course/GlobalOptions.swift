import ArgumentParser
import CourseEngine
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The learner workspace folder (else $COURSE_WORKSPACE, else workspace/ in the course folder).", valueName: "path"))
    var workspace: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), always, or never.", valueName: "when"))
    var color: TerminalInfo.ColorChoice = .auto

    @Flag(name: .long, help: "Print straight to stdout, never through a pager.")
    var noPager = false

    @Option(name: .long, help: ArgumentHelp("Wrap text to this many columns (default: the terminal's, at most 100).", valueName: "columns"))
    var width: Int?

    func validate() throws {
        if let width, width < 20 || width > 1000 {
            throw ValidationError("--width must be between 20 and 1000 (got \(width))")
        }
    }
}

extension TerminalInfo.ColorChoice: ExpressibleByArgument {}

/// Lesson ids for shell completion, read from the roadmap next to the executable.
@Sendable func lessonIDCompletions(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    let env = ProcessInfo.processInfo.environment
    guard let root = Course.locateRoot(environment: env, executable: Bundle.main.executableURL,
                                       currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)),
          let course = try? Course(root: root) else { return [] }
    return course.roadmap.lessons.map(\.id).filter { $0.hasPrefix(prefix) }
}
