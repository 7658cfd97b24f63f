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
            Each submission is built and checked in its own sandbox (bubblewrap) with a private \
            network, within the exercise's limits. A submission is known by its folder; a learner \
            name in its course.yaml is a label shown beside it. Reports go to --report-dir; every \
            result is recorded in the gradebook (SQLite), where a re-grade replaces the previous one.

            Exit status: 0 once every submission is graded and the reports are written, whatever \
            the scores (a submission that could not be graded scores 0 with the reason); 2 for a \
            usage or input error (an unknown exercise, a missing folder, a report folder that \
            cannot be written), before anything is graded.
            """)

    @Argument(help: "The exercise id.")
    var exerciseID: String

    @Argument(help: "Submission folders.", completion: .directory)
    var submissions: [String]

    // Unconditional: `--jobs -3` reaches validate() and gets a sentence, not "missing value".
    @Option(name: .long, parsing: .unconditional, help: "Submissions graded at once (default: one per core).")
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

    @Flag(name: .long, inversion: .prefixedNo, help: ArgumentHelp(
        "Run every stage even after one fails, each after a failed one from a fresh start of the program (partial credit).",
        discussion: "The default is the exercise's all_stages setting (off: stop at the first failed stage, as course check does)."))
    var allStages: Bool?

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
        let mode = GradingMode(allStages: allStages ?? exercise.allStages)
        ScratchNotice.sweep()
        defer { Scratch.current.remove() }
        let reportURL = URL(fileURLWithPath: reportDir).standardizedFileURL
        // Before anything is graded: a report folder that cannot take every report is an
        // input error now, not a lost run later.
        let writer = ReportWriter(directory: reportURL, exercise: exercise.id)
        try writer.checkWritable(formats: formats)

        // Each result is recorded as soon as it is in: a run killed half-way keeps the rest.
        let book = try Gradebook(url: gradebook.map { URL(fileURLWithPath: $0) } ?? reportURL.appendingPathComponent("gradebook.sqlite"))
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let kept = onlyNew ? try unchanged(folders, in: book, exercise: exercise, mode: mode) : [:]
        let toGrade = folders.filter { kept[$0.path] == nil }
        if !kept.isEmpty {
            let one = kept.count == 1
            StandardOutput.error("--only-new: \(kept.count) submission\(one ? " is" : "s are") unchanged since \(one ? "its" : "their") last grading and keep\(one ? "s its result" : " their results")\n")
        }
        let progress = GradeProgress(total: toGrade.count, terminal: context.terminal.isTerminal && !global.json)
        StandardOutput.error("grading \(toGrade.count) submission\(toGrade.count == 1 ? "" : "s") of \(exercise.id) with \(jobs) job\(jobs == 1 ? "" : "s"), seed \(seed)\(mode == .allStages ? ", every stage (--all-stages)" : "")\n")
        let coordinator = ClassGrader(exercise: exercise, registry: Pieces.registry, seed: seed, lastStage: stage,
                                      allStages: mode == .allStages, sandbox: sandbox, jobs: jobs,
                                      versions: CommandContext.versions, goProxy: context.goProxy)
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
        _ = try writer.write(results, formats: formats)
        let passed = results.filter(\.passed).count
        if global.json {
            try StandardOutput.write(String(decoding: try JSONEncoder.course.encode(GradeSummary(results: results, reportDir: reportURL.path)), as: UTF8.self) + "\n")
        } else {
            try StandardOutput.write("\(passed)/\(results.count) passed every stage; reports in \(reportURL.path)\n")
        }
    }

    /// The recorded results of submissions whose folders hash as when they were last graded,
    /// for the same stages in the same mode, by path.
    func unchanged(_ folders: [URL], in book: Gradebook, exercise: ExerciseManifest, mode: GradingMode) throws -> [String: SubmissionResult] {
        let stages = stage ?? exercise.stages.count
        var recorded: [String: SubmissionResult] = [:]
        for result in try book.results(exercise: exercise.id) { recorded[result.path] = result }
        var kept: [String: SubmissionResult] = [:]
        for folder in folders {
            guard let previous = recorded[folder.path], !previous.contentHash.isEmpty, previous.stages.count == stages, previous.mode == mode,
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
                StandardOutput.error("[\(done)/\(total)] \(Self.name(of: result)): \(SubmissionResult.format(result.score))/\(SubmissionResult.format(result.maxScore)) \(result.summary.controlCharactersReplaced())\n")
            }
        }
    }

    func close() {
        if terminal { StandardOutput.error("\n") }
    }

    /// The submission as the instructor knows it (its folder), with the learner's own label
    /// beside it when that says something else; both are untrusted text, made safe to print.
    static func name(of result: SubmissionResult) -> String {
        func short(_ text: String) -> String { text.count > 60 ? text.prefix(59) + "…" : text }
        let folder = URL(fileURLWithPath: result.path).lastPathComponent
        let name = result.learner == folder ? short(folder) : "\(short(folder)) (learner: \(short(result.learner)))"
        return name.controlCharactersReplaced()
    }
}
