import CourseEngine
import Foundation
import Grading

extension CommandContext {
    /// The manifest of exercise `id`, or an error naming the nearest ids.
    func exercise(_ id: String) throws -> ExerciseManifest {
        guard course.exerciseIDs.contains(id) else {
            let near = Suggest.nearest(id, among: Array(course.exerciseIDs))
            throw CourseError("unknown exercise '\(id)'",
                              hint: near.isEmpty ? "exercises: \(course.exerciseIDs.sorted().joined(separator: ", "))" : "did you mean '\(near[0])'?")
        }
        return try ExerciseManifest.load(folder: course.exercisesURL.appendingPathComponent(id), displayFolder: "Exercises/\(id)")
    }

    /// Versions recorded with every grading run, for reproducibility.
    static let versions: [String: String] = {
        var versions = ["course": "0.1.0"]
        if let go = try? String(contentsOfFile: "/usr/lib/go/VERSION", encoding: .utf8) {
            versions["go"] = go.split(separator: "\n").first.map(String.init)
        }
        return versions
    }()
}

/// A seed for a grading run: given, or fresh from the system's generator.
func makeSeed(_ given: UInt64?) -> UInt64 {
    given ?? UInt64.random(in: 1...UInt64(Int64.max))
}

extension CommandContext {
    /// The exercise a command without one means (`ExerciseChoice`): the one whose folder
    /// `dir` (else the current folder) is in, else the one checked last until it passes,
    /// else the roadmap's next.
    func currentExercise(_ store: ProgressStore, dir: String? = nil) throws -> String {
        let here = dir.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let choice = ExerciseChoice.choose(folder: here, workspace: workspace.url, exerciseIDs: course.exerciseIDs,
                                              lastChecked: try store.latestAttempt()?.exerciseID, status: try status(store)) {
            return choice.exerciseID
        }
        throw CourseError("there is no exercise to check yet", hint: "`course roadmap` lists the lessons and their exercises")
    }

    /// `dir`, or the exercise's folder in the workspace, made from the starter if new.
    func submissionFolder(for exercise: ExerciseManifest, dir: String?) throws -> URL {
        if let dir {
            let url = URL(fileURLWithPath: dir).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw CourseError("no folder \(dir)") }
            return url
        }
        let folder = workspace.url.appendingPathComponent(exercise.id)
        if !FileManager.default.fileExists(atPath: folder.path) {
            guard let starter = exercise.folder?.appendingPathComponent("starter/go"),
                  FileManager.default.fileExists(atPath: starter.path) else {
                throw CourseError("no code for '\(exercise.id)' at \(folder.path)", hint: "create the folder with your program in it, or use --dir")
            }
            try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: starter, to: folder)
            StandardOutput.error("Created \(folder.path) from the starter: write your solution there.\n")
        }
        return folder
    }
}
