import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course solution EXERCISE`: the sample solution, once the learner has passed the
/// exercise, to compare with their own.
struct SolutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution",
        abstract: "Show an exercise's sample solution (once you have passed it).",
        discussion: "Before you pass, it says how far you got; `course hint` helps instead.")

    @Argument(help: "The exercise id.")
    var exerciseID: String

    @Flag(name: .long, help: "Print only the solution's folder (to diff or open in an editor).")
    var path = false

    @OptionGroup var global: GlobalOptions

    struct SolutionJSON: Encodable {
        struct File: Encodable {
            let path: String
            let content: String
        }
        let exercise: String
        let folder: String
        let files: [File]
    }

    func run() throws {
        let context = try CommandContext(global)
        let (store, _) = try context.openStore()
        let exercise = try context.exercise(exerciseID)
        let progress = try store.exercises()[exercise.id]
        guard let progress, progress.passed else {
            let best = progress?.bestStagesPassed ?? 0
            let tried = progress == nil ? "you have not checked it yet (0 of \(exercise.stages.count) stages passed)"
                : "your best check passed \(best) of \(exercise.stages.count) stages"
            throw CourseError("the sample solution of '\(exercise.id)' opens once you pass it: \(tried)",
                              hint: "`course hint \(exercise.id)` gives a hint for the stage you are on", exitCode: 1)
        }
        guard let folder = exercise.folder?.appendingPathComponent("solution/go"),
              FileManager.default.fileExists(atPath: folder.path) else {
            throw CourseError("'\(exercise.id)' has no sample solution", file: "Exercises/\(exercise.id)/solution/go")
        }
        let files = try Self.files(in: folder)
        if path {
            try StandardOutput.write(folder.path + "\n")
        } else if global.json {
            try StandardOutput.json(SolutionJSON(exercise: exercise.id, folder: folder.path, files: files.map { .init(path: $0.path, content: $0.text) }))
        } else {
            try context.show(context.renderer(for: nil).render(MarkdownDocument(parsing: Self.page(exercise, files: files))))
        }
    }

    /// The solution's files (not hidden ones), by path relative to the folder.
    static func files(in folder: URL) throws -> [(path: String, text: String)] {
        var out: [(path: String, text: String)] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
            out.append((relative, try SourceFile.read(url, displayPath: relative)))
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Markdown: a heading naming each file, then the file in a code block.
    static func page(_ exercise: ExerciseManifest, files: [(path: String, text: String)]) -> String {
        var page = "# Sample solution: \(exercise.title)\n\nOne way to pass every stage; yours may differ and be just as good.\n\n"
        for file in files {
            var fence = "```"
            while file.text.contains(fence) { fence += "`" }
            let language = file.path.hasSuffix(".go") ? "go" : ""
            page += "## \(file.path)\n\n\(fence)\(language)\n\(file.text)\(file.text.hasSuffix("\n") ? "" : "\n")\(fence)\n\n"
        }
        return page
    }
}
