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
