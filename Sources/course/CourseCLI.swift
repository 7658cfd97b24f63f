import ArgumentParser
import CourseEngine
import Foundation
import Grading

@main
struct CourseCLI {
    static func main() async {
        StandardOutput.ignoreSIGPIPE()
        do {
            var command = try CourseCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(code(for: error))
        }
        exit(0)
    }

    /// Prints the error the way a person can act on it and returns the exit code:
    /// 0 for help, 1 for failed checks, 2 for usage and input errors (DESIGN.md).
    static func code(for error: Error) -> Int32 {
        switch error {
        case is StandardOutput.ClosedPipe:
            return 0
        case let refused as SubmissionRefused:
            return code(for: refused.courseError)
        case let error as CourseError:
            StandardOutput.error("error: \(shown(error))\n")
            return error.exitCode
        case let error as ExitCode:
            return error.rawValue
        default:
            let status = CourseCommand.exitCode(for: error)
            let message = CourseCommand.fullMessage(for: error)
            if status == .success {
                try? StandardOutput.write(message + "\n")
                return 0
            }
            StandardOutput.error(message.controlCharactersReplaced(keeping: ["\n", "\t"]) + "\n")
            // ArgumentParser uses 64 (EX_USAGE) for usage errors; the course says 2.
            return status.rawValue == 64 ? 2 : status.rawValue
        }
    }
}

/// An error as the learner reads it: quoted paths and names they chose cannot carry escape
/// sequences, and a command it suggests is named the way they run the course.
func shown(_ error: CourseError) -> String {
    let name = CommandName.detect(environment: ProcessInfo.processInfo.environment, arguments: CommandLine.arguments)
    return String(describing: error).replacingOccurrences(of: "`course ", with: "`\(name) ")
        .controlCharactersReplaced(keeping: ["\n", "\t"])
}

struct CourseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "Learn backend development in Go, graded by talking to your running code.",
        discussion: """
            Run `course` with no command to see where you are and what comes next. \
            Progress is kept in progress.sqlite in your workspace (see `course progress`).

            Exit codes: 0 success, 1 checks failed, 2 usage or input error.
            """,
        subcommands: [Home.self, RoadmapCommand.self, LessonCommand.self, NextCommand.self, ProgressCommand.self, ResetCommand.self,
                      CheckCommand.self, WatchCommand.self, HintCommand.self, SolutionCommand.self,
                      ModulesCommand.self, GradeCommand.self, GradebookCommand.self, GradeWorkerCommand.self, VerifyCommand.self, ServeCommand.self, RenderCommand.self, BenchRPCCommand.self],
        defaultSubcommand: Home.self
    )
}
