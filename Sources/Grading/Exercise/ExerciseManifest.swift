import CourseEngine
import Foundation

/// `Exercises/<id>/exercise.yaml`: what an exercise is, how its program is run, its limits,
/// and its stages in order. The checks themselves are code, registered by a piece under the
/// manifest's `checks` name; the manifest decides order, points and visibility.
///
/// ```yaml
/// title: Echo lines
/// checks: echo-lines        # the suite of checks a piece registered
/// program: stdio            # stdio (reads stdin, writes stdout) or server (listens on $PORT)
/// ready_seconds: 10         # how long a server may take to accept on $PORT
/// environment: [PORT]       # variables the grader sets for the program (pieces define them)
/// all_stages: false         # course grade runs every stage for partial credit (--all-stages)
/// limits: {build_seconds: 120, stage_seconds: 30, total_seconds: 300,
///          memory_mb: 512, processes: 64, output_kb: 256}
/// stages:
///   - {id: echo, name: Echo one line, points: 2}
///   - {id: large, name: Large input, points: 3, hidden: true}
///   - {id: together, name: Concurrent work, race: true}   # run built with go build -race
/// ```
public struct ExerciseManifest: Sendable, Equatable {
    public enum ProgramKind: String, Sendable, Equatable {
        /// Reads standard input and writes standard output; each check starts it afresh.
        case stdio
        /// Listens on `$PORT`; started once and shared by the stages (a check may restart it).
        case server
    }

    public struct Stage: Sendable, Equatable {
        public var id: String
        public var name: String
        /// Points for the whole stage, shared among its checks by weight; nil: one per check.
        public var points: Double?
        public var hidden: Bool
        /// Run this stage's program built with Go's race detector, and fail the stage on any
        /// race it reports (`race: true`: every concurrency stage).
        public var race: Bool = false
        public var line: Int?
    }

    public var id: String
    public var title: String
    public var checks: String
    public var program: ProgramKind
    public var readySeconds: Double
    public var environment: [String]
    /// The line of each name in `environment`, for messages about it.
    public var environmentLines: [String: Int] = [:]
    /// `course grade` runs every stage (`--all-stages`) unless told otherwise.
    public var allStages: Bool = false
    public var limits: Limits
    public var stages: [Stage]
    /// Where the manifest was read from, for messages.
    public var file: String
    /// The exercise's folder (its README, cases, starter and solution).
    public var folder: URL?

    public static let fileName = "exercise.yaml"

    /// Reads `folder/exercise.yaml`; the exercise id is the folder's name.
    public static func load(folder: URL, displayFolder: String? = nil) throws -> ExerciseManifest {
        let display = (displayFolder ?? folder.path) + "/" + fileName
        let text = try SourceFile.read(folder.appendingPathComponent(fileName), displayPath: display)
        var manifest = try parse(text, id: folder.lastPathComponent, file: display)
        manifest.folder = folder
        return manifest
    }

    public static func parse(_ text: String, id: String, file: String) throws -> ExerciseManifest {
        let root = try YAMLFields.parse(text, file: file)
        try root.allowOnly(["title", "checks", "program", "ready_seconds", "environment", "limits", "stages", "all_stages"])
        let programText = try root.string("program") ?? "stdio"
        guard let program = ProgramKind(rawValue: programText) else {
            throw CourseError("'program' must be stdio or server (got '\(programText)')", file: file, line: root.node("program")?.line)
        }
        var limits = Limits.default
        if let fields = try root.fields("limits") { limits = try Limits(fields, defaults: limits) }

        guard let stageNodes = try root.list("stages"), !stageNodes.isEmpty else {
            throw CourseError("an exercise needs at least one stage under 'stages'", file: file, line: root.line)
        }
        var stages: [Stage] = []
        for node in stageNodes {
            let fields = try YAMLFields(node, file: file, what: "a stage")
            try fields.allowOnly(["id", "name", "points", "hidden", "race"])
            let stage = Stage(id: try fields.requiredString("id"), name: try fields.string("name") ?? fields.requiredString("id"),
                              points: try fields.number("points", in: 0...10_000), hidden: try fields.bool("hidden") ?? false,
                              race: try fields.bool("race") ?? false, line: node.line)
            if stages.contains(where: { $0.id == stage.id }) {
                throw CourseError("two stages have the id '\(stage.id)'", file: file, line: node.line)
            }
            stages.append(stage)
        }
        let environment = try root.stringList("environment") ?? (program == .server ? ["PORT"] : [])
        var lines: [String: Int] = [:]
        for item in try root.list("environment") ?? [] {
            if let name = item.string, let line = item.line { lines[name] = line }
        }
        var manifest = ExerciseManifest(id: id, title: try root.requiredString("title"), checks: try root.requiredString("checks"),
                                        program: program, readySeconds: try root.number("ready_seconds", in: 0.1...600) ?? 10,
                                        environment: environment, limits: limits, stages: stages, file: file, folder: nil)
        manifest.environmentLines = lines
        manifest.allStages = try root.bool("all_stages") ?? false
        return manifest
    }
}

/// What a submission may use. Every run of untrusted code is bounded by all of these.
public struct Limits: Sendable, Equatable, Codable {
    public var buildSeconds: Double
    /// Wall time for one stage's checks, program start-up included.
    public var stageSeconds: Double
    /// Wall time for everything after the build.
    public var totalSeconds: Double
    public var memoryMB: Int
    /// Processes and threads the program may have at once.
    public var processes: Int
    /// Output kept per program run; beyond it the middle is cut (and said to be).
    public var outputKB: Int

    public static let `default` = Limits(buildSeconds: 120, stageSeconds: 30, totalSeconds: 300, memoryMB: 512, processes: 64, outputKB: 256)

    public init(buildSeconds: Double, stageSeconds: Double, totalSeconds: Double, memoryMB: Int, processes: Int, outputKB: Int) {
        self.buildSeconds = buildSeconds
        self.stageSeconds = stageSeconds
        self.totalSeconds = totalSeconds
        self.memoryMB = memoryMB
        self.processes = processes
        self.outputKB = outputKB
    }

    init(_ fields: YAMLFields, defaults: Limits) throws {
        try fields.allowOnly(["build_seconds", "stage_seconds", "total_seconds", "memory_mb", "processes", "output_kb"])
        self.init(buildSeconds: try fields.number("build_seconds", in: 1...3600) ?? defaults.buildSeconds,
                  stageSeconds: try fields.number("stage_seconds", in: 1...3600) ?? defaults.stageSeconds,
                  totalSeconds: try fields.number("total_seconds", in: 1...36000) ?? defaults.totalSeconds,
                  memoryMB: Int(try fields.number("memory_mb", in: 16...65536) ?? Double(defaults.memoryMB)),
                  processes: Int(try fields.number("processes", in: 4...100_000) ?? Double(defaults.processes)),
                  outputKB: Int(try fields.number("output_kb", in: 1...1_048_576) ?? Double(defaults.outputKB)))
    }
}
