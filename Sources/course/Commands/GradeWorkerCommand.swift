import ArgumentParser
import CProcessSupport
import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Grades one submission and writes its result as JSON: the process `course grade` starts
/// per submission, inside a private network namespace, so each submission and its checks
/// share a loopback no other submission can reach, and a grader failure on one submission
/// cannot take the others down. Not for people: hidden from help.
struct GradeWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade-worker", shouldDisplay: false)

    @Argument var exerciseID: String
    @Argument var submission: String
    @Option var seed: UInt64
    @Option var result: String
    @Option var stage: Int?
    @Option var learner: String?
    @Flag var sandbox = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        // Daemons a submission leaves behind are re-parented here, where the sweep finds them.
        _ = cps_set_child_subreaper()
        let context = try CommandContext(global)
        let exercise = try context.exercise(exerciseID)
        var options = SubmissionRun.Options()
        if sandbox {
            guard case .success(let found) = Sandbox.detect() else {
                throw CourseError("the sandbox could not start in the grading worker")
            }
            options.sandbox = found
        }
        let grader = Grader(registry: Pieces.registry, seed: seed, lastStage: stage, runOptions: options, versions: CommandContext.versions)
        let outcome = try await grader.grade(exercise: exercise, folder: URL(fileURLWithPath: submission), learner: learner)
        Orphans.sweep()
        try AtomicFile.write(try outcome.encoded(), to: URL(fileURLWithPath: result))
    }
}

/// Kills every process below this one: what a submission started and abandoned.
enum Orphans {
    static func sweep() {
        for _ in 0..<50 {
            let left = ProcessTree.read().descendants(of: getpid())
            if left.isEmpty { return }
            for entry in left { kill(entry.pid, SIGKILL) }
            var status: Int32 = 0
            while waitpid(-1, &status, WNOHANG) > 0 {}
            usleep(10_000)
        }
    }
}
