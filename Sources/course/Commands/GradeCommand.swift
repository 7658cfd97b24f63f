import ArgumentParser
import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// `course grade EXERCISE SUBMISSIONS...`: grades a class in parallel, one sandboxed worker
/// per submission, and writes every report and the gradebook.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade submission folders in parallel (sandboxed) and write reports.",
        discussion: """
            Each submission is built and checked in its own sandbox (bubblewrap) with a private
            network, within the exercise's limits. Reports go to --report-dir; every result is
            recorded in the gradebook (SQLite), where a re-grade replaces the previous one.
            """)

    @Argument(help: "The exercise id.")
    var exerciseID: String

    @Argument(help: "Submission folders.", completion: .directory)
    var submissions: [String]

    @Option(name: .long, help: "Submissions graded at once (default: one per core).")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Where reports are written.", valueName: "dir"))
    var reportDir = "grading-report"

    @Option(name: .long, help: ArgumentHelp("Reports to write, comma-separated: junit, gradescope, csv, json, html.", valueName: "formats"))
    var format = "junit,gradescope,csv,json,html"

    @Option(name: .long, help: ArgumentHelp("The gradebook file (default: gradebook.sqlite in the report folder).", valueName: "file"))
    var gradebook: String?

    @Option(name: .long, help: "Seed for the checks' randomness (printed on every run; replays a run).")
    var seed: UInt64?

    @Option(name: .long, help: "Grade stages 1 through N only.")
    var stage: Int?

    @Flag(name: .long, help: ArgumentHelp(
        "Skip submissions whose files are unchanged since their last grading (same content hash, same stages).",
        discussion: "Their recorded results still go into the reports. Re-grade without it after changing the exercise's checks."))
    var onlyNew = false

    @Flag(name: .long, help: "Refuse to grade without the sandbox.")
    var requireSandbox = false

    @Flag(name: .long, help: "Grade without the sandbox (limits and teardown still apply).")
    var noSandbox = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64 (got \(jobs))") }
        if submissions.isEmpty { throw ValidationError("name at least one submission folder") }
        if requireSandbox && noSandbox { throw ValidationError("--require-sandbox and --no-sandbox contradict each other") }
        if let stage, stage < 1 { throw ValidationError("--stage must be 1 or more (got \(stage))") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        let exercise = try context.exercise(exerciseID)
        let formats = try ReportFormat.parseOption(format)
        if let stage, stage > exercise.stages.count {
            throw CourseError("exercise '\(exercise.id)' has \(exercise.stages.count) stages (asked for --stage \(stage))")
        }
        let folders = try submissions.map { path -> URL in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CourseError("the submission \(path) is not a folder")
            }
            return url
        }
        let seed = makeSeed(seed)
        let sandbox = try chooseSandbox()
        let reportURL = URL(fileURLWithPath: reportDir).standardizedFileURL
        try FileManager.default.createDirectory(at: reportURL, withIntermediateDirectories: true)

        // Each result is recorded as soon as it is in: a run killed half-way keeps the rest.
        let book = try Gradebook(url: gradebook.map { URL(fileURLWithPath: $0) } ?? reportURL.appendingPathComponent("gradebook.sqlite"))
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let kept = onlyNew ? try unchanged(folders, in: book, exercise: exercise) : [:]
        let toGrade = folders.filter { kept[$0.path] == nil }
        if !kept.isEmpty {
            let one = kept.count == 1
            StandardOutput.error("--only-new: \(kept.count) submission\(one ? " is" : "s are") unchanged since \(one ? "its" : "their") last grading and keep\(one ? "s its result" : " their results")\n")
        }
        let progress = GradeProgress(total: toGrade.count, terminal: context.terminal.isTerminal && !global.json)
        StandardOutput.error("grading \(toGrade.count) submission\(toGrade.count == 1 ? "" : "s") of \(exercise.id) with \(jobs) job\(jobs == 1 ? "" : "s"), seed \(seed)\n")
        let coordinator = WorkerPool(exercise: exercise, seed: seed, stage: stage, sandbox: sandbox, jobs: jobs)
        let recordErrors = ErrorList()
        let graded = await coordinator.grade(toGrade) { result in
            do { try book.record(result) } catch { recordErrors.append("\(error)") }
            progress.finished(result)
        }
        if let first = recordErrors.items.first {
            throw CourseError("could not record every result in the gradebook: \(first)", file: book.url.path)
        }
        progress.close()
        // Reports cover every submission named, in the order named.
        var byPath = kept
        for result in graded { byPath[result.path] = result }
        let results = folders.compactMap { byPath[$0.path] }
        _ = try ReportWriter(directory: reportURL, exercise: exercise.id).write(results, formats: formats)
        let passed = results.filter(\.passed).count
        if global.json {
            try StandardOutput.write(String(decoding: try JSONEncoder.course.encode(GradeSummary(results: results, reportDir: reportURL.path)), as: UTF8.self) + "\n")
        } else {
            try StandardOutput.write("\(passed)/\(results.count) passed every stage; reports in \(reportURL.path)\n")
        }
    }

    /// The recorded results of submissions whose folders hash as when they were last graded,
    /// for the same stages, by path.
    func unchanged(_ folders: [URL], in book: Gradebook, exercise: ExerciseManifest) throws -> [String: SubmissionResult] {
        let stages = stage ?? exercise.stages.count
        var recorded: [String: SubmissionResult] = [:]
        for result in try book.results(exercise: exercise.id) { recorded[result.path] = result }
        var kept: [String: SubmissionResult] = [:]
        for folder in folders {
            guard let previous = recorded[folder.path], !previous.contentHash.isEmpty, previous.stages.count == stages,
                  let hash = try? SubmissionHasher.hash(folder: folder), hash == previous.contentHash else { continue }
            kept[folder.path] = previous
        }
        return kept
    }

    /// The sandbox, or nil with one plain sentence saying why not.
    func chooseSandbox() throws -> Sandbox? {
        if noSandbox {
            StandardOutput.error("note: grading without the sandbox (--no-sandbox); limits and teardown still apply\n")
            return nil
        }
        switch Sandbox.detect() {
        case .success(let sandbox):
            return sandbox
        case .failure(let why):
            if requireSandbox {
                throw CourseError("the sandbox is required but unavailable: \(why.reason)", hint: "install bubblewrap (scripts/setup.sh does)")
            }
            StandardOutput.error("warning: grading without the sandbox: \(why.reason); limits and teardown still apply\n")
            return nil
        }
    }
}

final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ item: String) { lock.withLock { list.append(item) } }
    var items: [String] { lock.withLock { list } }
}

struct GradeSummary: Encodable {
    let results: [SubmissionResult]
    let reportDir: String
}

extension JSONEncoder {
    static var course: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}

/// Runs grading workers, at most `jobs` at a time, each in its own network namespace (with
/// the sandbox) and process group, each bounded in time; a worker that dies still yields a
/// result row saying why.
struct WorkerPool: Sendable {
    let exercise: ExerciseManifest
    let seed: UInt64
    let stage: Int?
    let sandbox: Sandbox?
    let jobs: Int

    func grade(_ folders: [URL], finished: @escaping @Sendable (SubmissionResult) -> Void) async -> [SubmissionResult] {
        var results = [SubmissionResult?](repeating: nil, count: folders.count)
        await withTaskGroup(of: (Int, SubmissionResult).self) { group in
            var next = 0
            func add() {
                guard next < folders.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await gradeOne(folders[index])) }
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

    func gradeOne(_ folder: URL) async -> SubmissionResult {
        let started = Date()
        let learner = (try? SubmissionManifest.load(folder: folder))?.learner ?? folder.lastPathComponent
        let resultFile = FileManager.default.temporaryDirectory.appendingPathComponent("course-result-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: resultFile) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var argv = [executable, "grade-worker", exercise.id, folder.path, "--seed", String(seed), "--result", resultFile.path, "--learner", learner]
        if let stage { argv += ["--stage", String(stage)] }
        if sandbox != nil { argv.append("--sandbox") }
        if let sandbox {
            argv = [sandbox.bubblewrap, "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"] + argv
        }
        let sandboxStatus = SandboxStatus(enabled: sandbox != nil, note: sandbox == nil ? "not sandboxed" : "bubblewrap")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("course-worker-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var environment = ProcessInfo.processInfo.environment
        environment["COURSE_ROOT"] = exercise.folder?.deletingLastPathComponent().deletingLastPathComponent().path
        do {
            let worker = try ChildProcess.spawn(.init(arguments: argv, environment: environment, stdout: .file(log.path),
                                                      stderr: .file(log.path, append: true), group: .newGroup))
            let allowed = exercise.limits.buildSeconds + exercise.limits.totalSeconds + 60
            let termination = await Task.detached { worker.wait(timeout: allowed) }.value
            if termination == nil {
                worker.sendToGroup(SIGKILL)
                worker.wait()
            }
            ResourceGroup.removeAll(ownedBy: worker.pid)
            if let data = try? Data(contentsOf: resultFile), let result = try? SubmissionResult.decode(data) {
                return result
            }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let reason = termination == nil ? "grading took longer than \(Int(allowed)) s and was stopped"
                                             : "the grader failed on this submission (\(termination!))"
            return .ungradable(exercise: exercise, folder: folder, learner: learner, reason: reason + "\n" + output, seed: seed,
                               sandbox: sandboxStatus, startedAt: started, versions: CommandContext.versions)
        } catch {
            return .ungradable(exercise: exercise, folder: folder, learner: learner, reason: "the grader could not start: \(error)",
                               seed: seed, sandbox: sandboxStatus, startedAt: started, versions: CommandContext.versions)
        }
    }
}

/// The progress line on a terminal: done/total, passing, ETA; or one line per submission.
final class GradeProgress: @unchecked Sendable {
    let total: Int
    let terminal: Bool
    let started = Date()
    private var done = 0
    private var passing = 0
    private let lock = NSLock()

    init(total: Int, terminal: Bool) {
        self.total = total
        self.terminal = terminal
    }

    func finished(_ result: SubmissionResult) {
        lock.withLock {
            done += 1
            if result.passed { passing += 1 }
            if terminal {
                let elapsed = Date().timeIntervalSince(started)
                let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
                let width = 30
                let filled = total > 0 ? width * done / total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                StandardOutput.error("\r\u{1B}[2K\(bar) \(done)/\(total) graded, \(passing) passing, ETA \(Int(eta.rounded())) s")
            } else {
                StandardOutput.error("[\(done)/\(total)] \(result.learner): \(SubmissionResult.format(result.score))/\(SubmissionResult.format(result.maxScore)) \(result.summary)\n")
            }
        }
    }

    func close() {
        if terminal { StandardOutput.error("\n") }
    }
}
