/// The course outline parsed from `Curriculum/ROADMAP.md`: levels in order, lessons in
/// order, and the exercises each lesson names.
public struct Roadmap: Sendable, Equatable {
    public var title: String
    public var levels: [Level]
    /// The source of the roadmap (kept so views can re-render the page itself).
    public var document: MarkdownDocument

    public struct Level: Sendable, Equatable {
        public var name: String
        public var lessons: [Lesson]
    }

    public struct Lesson: Sendable, Equatable {
        /// Stable id: the lesson file's name without `.md` (`go-fundamentals`).
        public var id: String
        /// 1-based position in the whole course.
        public var number: Int
        public var title: String
        public var summary: String
        public var level: String
        /// Path relative to the `Curriculum` folder, as written in the link.
        public var path: String
        /// Exercises that exist and practise this lesson, in roadmap order.
        public var exercises: [String]
        /// Exercises announced but not built yet.
        public var coming: [String]
        /// Line of the roadmap that lists the lesson.
        public var line: Int
    }

    public var lessons: [Lesson] { levels.flatMap(\.lessons) }

    public var exercises: [String] { lessons.flatMap(\.exercises) }

    public func lesson(id: String) -> Lesson? {
        lessons.first { $0.id == id }
    }

    /// The lesson an exercise belongs to.
    public func lesson(forExercise exercise: String) -> Lesson? {
        lessons.first { $0.exercises.contains(exercise) }
    }

    /// Resolves what a person typed: a lesson id, its number, or an unambiguous id prefix.
    /// Unknown input throws with the nearest ids as a suggestion.
    public func resolveLesson(_ input: String, roadmapPath: String) throws -> Lesson {
        let key = input.trimmingCharacters(in: .whitespaces).lowercased()
        if let exact = lessons.first(where: { $0.id == key }) { return exact }
        if let number = Int(key), let byNumber = lessons.first(where: { $0.number == number }) { return byNumber }
        let prefixed = lessons.filter { $0.id.hasPrefix(key) }
        if prefixed.count == 1, !key.isEmpty { return prefixed[0] }
        let suggestions = Suggest.nearest(key, among: lessons.map(\.id))
        let hint = suggestions.isEmpty
            ? "`course roadmap` lists the lessons"
            : "did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))? `course roadmap` lists them all"
        if prefixed.count > 1 {
            throw CourseError("'\(input)' matches several lessons: \(prefixed.map(\.id).joined(separator: ", "))", hint: "type more of the id")
        }
        throw CourseError("unknown lesson '\(input)'", hint: hint)
    }
}

import Foundation
