import Foundation

/// The exercise `course check`, `watch` and `hint` mean when none is named: the one whose
/// folder the learner stands in (`workspace/users-api` or below), else the one they checked
/// last while they have not passed it yet, else the next one on the roadmap.
///
/// Why this order: a learner working on users-api who types `course check` means
/// users-api, whether they stand in its folder or not; once it passes, the roadmap's next
/// exercise is what they go on to.
public struct ExerciseChoice: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// The folder the command ran in is the exercise's folder in the workspace.
        case folder
        /// The latest check was of this exercise, and it is not passed yet.
        case lastChecked
        /// The roadmap's next exercise (the first not passed).
        case roadmap
    }

    public var exerciseID: String
    public var reason: Reason

    public init(exerciseID: String, reason: Reason) {
        self.exerciseID = exerciseID
        self.reason = reason
    }

    /// The choice, or nil when the course has no exercise at all.
    /// - Parameters:
    ///   - folder: where the learner stands (the current folder, or `--dir`).
    ///   - workspace: the workspace folder, whose `EX` folders hold the learner's code.
    ///   - exerciseIDs: the exercises that exist.
    ///   - lastChecked: the exercise of the latest attempt of any exercise.
    ///   - status: where the learner stands on the roadmap.
    public static func choose(folder: URL, workspace: URL, exerciseIDs: Set<String>, lastChecked: String?,
                              status: LearnerStatus) -> ExerciseChoice? {
        if let id = exercise(containing: folder, workspace: workspace), exerciseIDs.contains(id) {
            return ExerciseChoice(exerciseID: id, reason: .folder)
        }
        if let last = lastChecked, exerciseIDs.contains(last), status.exercises[last]?.passed != true {
            return ExerciseChoice(exerciseID: last, reason: .lastChecked)
        }
        if case .exercise(let id, _) = status.next, exerciseIDs.contains(id) {
            return ExerciseChoice(exerciseID: id, reason: .roadmap)
        }
        let onRoadmap = status.roadmap.exercises.filter { exerciseIDs.contains($0) }
        if let open = onRoadmap.first(where: { status.exercises[$0]?.passed != true }) ?? onRoadmap.first {
            return ExerciseChoice(exerciseID: open, reason: .roadmap)
        }
        return nil
    }

    /// The first folder below `workspace` on the way to `folder`: `users-api` for
    /// `workspace/users-api/internal/store`; nil when `folder` is not inside the workspace.
    /// Links are resolved on both sides, so a workspace reached through a link still counts.
    public static func exercise(containing folder: URL, workspace: URL) -> String? {
        let base = workspace.resolvingSymlinksInPath().standardizedFileURL.path
        let path = folder.resolvingSymlinksInPath().standardizedFileURL.path
        guard path.hasPrefix(base + "/") else { return nil }
        return path.dropFirst(base.count + 1).split(separator: "/").first.map(String.init)
    }
}
