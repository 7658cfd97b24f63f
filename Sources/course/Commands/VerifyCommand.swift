import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course verify [EXERCISE]`: for course authors, proves each exercise's checks: the
/// sample solution and the piece's reference pass, the starter fails stage 1, every mutant
/// is caught. One line per variant; exit 1 if any is wrong.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the checks of every exercise (or one): solution passes, starter and mutants fail.",
        discussion: """
            For course authors. The sample solution (solution/go) and the piece's reference must \
            pass every stage; the starter (starter/go) must build and fail stage 1; every mutant \
            (a folder under mutants/ with a one-line MUTANT.md saying what it breaks, or one the \
            piece registers) must fail at least one check; every check must fail on some mutant.
            """)

    @Argument(help: "The exercise id (default: every exercise).")
    var exerciseID: String?

    @Option(name: .long, help: "Variants graded at once (default: one per core).")
    var jobs: Int?

    @Option(name: .long, help: "Seed for the checks' randomness.")
    var seed: UInt64?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64 (got \(jobs))") }
    }

    func run() async throws {
        // What a variant leaves behind is re-parented here, where the sweep finds it.
        Orphans.adoptOrphans()
        let context = try CommandContext(global)
        let ids = try exerciseID.map { [try context.exercise($0).id] } ?? context.course.exerciseIDs.sorted()
        let exercises = try ids.map { try context.exercise($0) }
        let seed = makeSeed(seed)
        ScratchNotice.sweep()
        defer { Scratch.current.remove() }
        let cache = try Scratch.current.makeFolder("go-cache")
        let grader = Grader(registry: Pieces.registry, seed: seed,
                            runOptions: SubmissionRun.Options(goCache: cache, goProxy: context.goProxy,
                                                              goModuleCache: try Scratch.current.makeFolder("go-mod")),
                            versions: CommandContext.versions)
        let verifier = ExerciseVerifier(grader: grader, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        if !global.json {
            StandardOutput.error("verifying \(exercises.count) exercise\(exercises.count == 1 ? "" : "s"), seed \(seed)\n")
        }
        let width = exercises.map(\.id.count).max() ?? 0
        let json = global.json
        let lines = await verifier.verify(exercises) { line in
            if !json { try? StandardOutput.write(Self.format(line, idWidth: width, context: context) + "\n") }
        }
        Orphans.sweep()
        let wrong = lines.filter { !$0.ok }
        if json {
            try StandardOutput.write(String(decoding: try JSONEncoder.course.encode(lines), as: UTF8.self) + "\n")
        } else {
            let summary = wrong.isEmpty ? context.styled("All \(lines.count) variants behave as they must.", .success)
                                        : context.styled("\(wrong.count) of \(lines.count) variants are wrong.", .failure)
            try StandardOutput.write(summary + "\n")
        }
        if !wrong.isEmpty { throw ExitCode(1) }
    }

    static func format(_ line: Verification, idWidth: Int, context: CommandContext) -> String {
        let mark = line.ok ? context.styled("✔", .success) : context.styled("✘", .failure)
        let id = line.exerciseID.padding(toLength: idWidth, withPad: " ", startingAt: 0)
        let time = line.seconds > 0 ? context.styled(String(format: "  %.1f s", line.seconds), .faint) : ""
        return "\(mark) \(id)  \(line.variant): \(line.reason)\(time)"
    }
}
