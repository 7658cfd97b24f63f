import Foundation

/// Where a learner stands in the course: computed from the roadmap and the progress store,
/// and shared by `course`, `course next`, `course progress` and `course roadmap`.
public struct LearnerStatus: Sendable {
    public let roadmap: Roadmap
    public let lessons: [String: LessonProgress]
    public let exercises: [String: ExerciseProgress]

    public init(roadmap: Roadmap, lessons: [String: LessonProgress], exercises: [String: ExerciseProgress]) {
        self.roadmap = roadmap
        self.lessons = lessons
        self.exercises = exercises
    }

    public init(course: Course, store: ProgressStore) throws {
        self.init(roadmap: course.roadmap, lessons: try store.lessons(), exercises: try store.exercises())
    }

    public enum Step: Sendable, Equatable {
        case lesson(Roadmap.Lesson)
        case exercise(String, lesson: Roadmap.Lesson)
        case finished
    }

    /// The first unread lesson or unpassed exercise, in roadmap order: a lesson comes
    /// before its exercises, and its exercises before the next lesson.
    public var next: Step {
        for lesson in roadmap.lessons {
            if lessons[lesson.id] == nil { return .lesson(lesson) }
            for exercise in lesson.exercises where exercises[exercise]?.passed != true {
                return .exercise(exercise, lesson: lesson)
            }
        }
        return .finished
    }

    public var lessonsRead: Int { roadmap.lessons.filter { lessons[$0.id] != nil }.count }
    public var exercisesPassed: Int { roadmap.exercises.filter { exercises[$0]?.passed == true }.count }
    public var totalAttempts: Int { exercises.values.map(\.attempts).reduce(0, +) }
    public var readingSeconds: Double { lessons.values.map(\.readingSeconds).reduce(0, +) }
    public var checkingSeconds: Double { exercises.values.map(\.secondsChecking).reduce(0, +) }

    /// "3/15 lessons read, 1/5 exercises passed." (the exercise part only once there are some).
    public var summaryLine: String {
        var line = "\(lessonsRead)/\(roadmap.lessons.count) lessons read"
        if !roadmap.exercises.isEmpty {
            line += ", \(exercisesPassed)/\(roadmap.exercises.count) exercises passed"
        }
        return line + "."
    }

    public func isRead(_ lesson: Roadmap.Lesson) -> Bool { lessons[lesson.id] != nil }
}

/// Durations as a person says them: "45 s", "12 min", "3 h 05 min".
public func humanDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return "\(s / 60) min" }
    return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
}
