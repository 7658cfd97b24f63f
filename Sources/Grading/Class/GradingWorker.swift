import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The body of one grading worker (`course grade-worker --request FILE`, hidden): the
/// process `course grade` starts per submission, inside a private network namespace when
/// sandboxed, so the submission's program, its services and its checks share a loopback no
/// other submission reaches, and a grader failure on one submission cannot take the others
/// down. It grades, kills whatever the submission left running, and writes the result.
public enum GradingWorker {
    public static func run(requestFile: String, registry: PieceRegistry) async throws {
        Orphans.adoptOrphans()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: requestFile))
        } catch {
            throw CourseError("cannot read the grading request", file: requestFile)
        }
        let request = try JSONDecoder().decode(WorkerRequest.self, from: data)
        Orphans.exitWithParent(request.parent)
        let exercise = try ExerciseManifest.load(folder: URL(fileURLWithPath: request.exerciseFolder),
                                                 displayFolder: request.exerciseDisplayFolder)
        let scratch = Scratch(owner: request.scratchOwner, temporaryDirectory: URL(fileURLWithPath: request.temporaryDirectory))
        var options = SubmissionRun.Options(scratch: scratch)
        options.goProxy = try request.goProxy.map { try GoModuleProxy(folder: URL(fileURLWithPath: $0)) }
        if request.sandbox {
            guard case .success(let found) = Sandbox.detect() else {
                throw CourseError("the sandbox could not start in the grading worker")
            }
            options.sandbox = found
        }
        let grader = Grader(registry: registry, seed: request.seed, lastStage: request.lastStage, allStages: request.allStages,
                            runOptions: options, versions: request.versions)
        let folder = URL(fileURLWithPath: request.submission)
        let started = Date()
        let outcome: SubmissionResult
        do {
            outcome = try await grader.grade(exercise: exercise, folder: folder)
        } catch let refused as SubmissionRefused {
            // The submission's own doing (a broken course.yaml, a FIFO): 0 of the exercise's
            // points, with the reason, never "the grader failed".
            outcome = .ungradable(exercise: exercise, registry: registry,
                                  folder: folder, reason: refused.description, seed: request.seed,
                                  sandbox: SandboxStatus(enabled: request.sandbox, note: request.sandbox ? "bubblewrap" : "not sandboxed"),
                                  startedAt: started, versions: request.versions, mode: GradingMode(allStages: request.allStages))
        }
        Orphans.sweep()
        try AtomicFile.write(try outcome.encoded(), to: URL(fileURLWithPath: request.resultFile))
    }
}
