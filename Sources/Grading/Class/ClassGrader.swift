import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Grades a class: one worker process per submission (`course grade-worker`), at most `jobs`
/// at a time, each in its own network namespace when sandboxed, each in its own process
/// group and bounded in time. A worker that dies or runs over still yields a result row
/// saying why, scored out of the exercise's points. Everything a run makes lives in its
/// `Scratch` and goes when the run ends.
public struct ClassGrader: Sendable {
    public let exercise: ExerciseManifest
    public let registry: PieceRegistry
    public var seed: UInt64
    public var lastStage: Int?
    public var allStages: Bool
    public var sandbox: Sandbox?
    public var jobs: Int
    public var versions: [String: String]
    public var scratch: Scratch
    /// The offline Go module proxy module-mode submissions build against.
    public var goProxy: GoModuleProxy?

    public init(exercise: ExerciseManifest, registry: PieceRegistry, seed: UInt64, lastStage: Int? = nil, allStages: Bool = false,
                sandbox: Sandbox?, jobs: Int, versions: [String: String], scratch: Scratch = .current,
                goProxy: GoModuleProxy? = nil) {
        self.exercise = exercise
        self.registry = registry
        self.seed = seed
        self.lastStage = lastStage
        self.allStages = allStages
        self.sandbox = sandbox
        self.jobs = max(1, jobs)
        self.versions = versions
        self.scratch = scratch
        self.goProxy = goProxy
    }

    /// Grades `folders`, calling `finished` as each result comes in; the results are in the
    /// order of `folders`.
    public func grade(_ folders: [URL], finished: @escaping @Sendable (SubmissionResult) -> Void) async -> [SubmissionResult] {
        var results = [SubmissionResult?](repeating: nil, count: folders.count)
        let proxy = sandboxReadableProxy()
        await withTaskGroup(of: (Int, SubmissionResult).self) { group in
            var next = 0
            func add() {
                guard next < folders.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await gradeOne(folders[index], goProxy: proxy)) }
            }
            for _ in 0..<jobs { add() }
            while let (index, result) = await group.next() {
                results[index] = result
                finished(result)
                add()
            }
        }
        return results.compactMap { $0 }
    }

    /// How long a worker may take before it is stopped: the build, every stage, and a minute.
    var workerSeconds: Double { exercise.limits.buildSeconds + exercise.limits.totalSeconds + 60 }

    /// The proxy as the sandbox's unprivileged user can read it: the course's own, or (when
    /// the course lives in a private folder, a home of mode 700) a copy in the run's scratch.
    func sandboxReadableProxy() -> GoModuleProxy? {
        guard let goProxy, sandbox != nil, !goProxy.readableByOthers else { return goProxy }
        guard let folder = try? scratch.makeFolder("go-proxy") else { return goProxy }
        chmod(folder.path, 0o755)
        return (try? goProxy.copy(into: folder)) ?? goProxy
    }

    func gradeOne(_ folder: URL, goProxy: GoModuleProxy? = nil) async -> SubmissionResult {
        let started = Date()
        let sandboxStatus = SandboxStatus(enabled: sandbox != nil, note: sandbox == nil ? "not sandboxed" : "bubblewrap")
        func failed(_ reason: String) -> SubmissionResult {
            .ungradable(exercise: exercise, registry: registry, folder: folder, reason: reason, seed: seed, sandbox: sandboxStatus,
                        startedAt: started, versions: versions, mode: GradingMode(allStages: allStages))
        }
        guard let executable = registry.executable else { return failed("the grader does not know where the course program is") }
        guard let exerciseFolder = exercise.folder else { return failed("the exercise has no folder") }
        let files: (request: URL, result: URL, log: URL)
        do {
            files = (try scratch.file("request", suffix: ".json"), try scratch.file("result", suffix: ".json"),
                     try scratch.file("worker", suffix: ".log"))
            let request = WorkerRequest(exerciseFolder: exerciseFolder.path, exerciseDisplayFolder: "Exercises/\(exercise.id)",
                                        submission: folder.path, seed: seed, lastStage: lastStage, allStages: allStages,
                                        sandbox: sandbox != nil, resultFile: files.result.path, scratchOwner: scratch.owner,
                                        temporaryDirectory: scratch.temporaryDirectory.path, parent: getpid(), versions: versions,
                                        goProxy: (goProxy ?? self.goProxy)?.folder.path)
            try AtomicFile.write(try JSONEncoder().encode(request), to: files.request)
        } catch {
            return failed("the grader could not prepare the worker: \(error)")
        }
        defer { for file in [files.request, files.result, files.log] { try? FileManager.default.removeItem(at: file) } }
        var argv = [executable, "grade-worker", "--request", files.request.path]
        if let sandbox {
            argv = [sandbox.bubblewrap, "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"] + argv
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = scratch.temporaryDirectory.path
        do {
            let worker = try ChildProcess.spawn(.init(arguments: argv, environment: environment, stdout: .file(files.log.path),
                                                      stderr: .file(files.log.path, append: true), group: .newGroup))
            let termination = await worker.waitAsync(timeout: workerSeconds)
            if termination == nil {
                worker.sendToGroup(SIGKILL)
                _ = await worker.waitAsync()
            }
            ResourceGroup.removeAll(ownedBy: worker.pid, parent: scratch.cgroupParent)
            if let data = try? Data(contentsOf: files.result), let result = try? SubmissionResult.decode(data) {
                return result
            }
            let output = (try? String(contentsOf: files.log, encoding: .utf8)) ?? ""
            if termination == nil {
                return failed("grading took longer than \(Int(workerSeconds)) s and was stopped\n\(output)")
            }
            return failed("the grader failed on this submission (its worker \(termination!))\n\(output)")
        } catch {
            return failed("the grader could not start its worker: \(error)")
        }
    }
}
