import Foundation

/// The course on disk: `Curriculum/ROADMAP.md`, its lessons, and `Exercises/`.
/// Loading validates everything the roadmap points at, so a broken roadmap is reported
/// once, with file and line, before any command runs.
public struct Course: Sendable {
    public let root: URL
    public let roadmap: Roadmap
    /// Ids of the exercise folders in `Exercises/`.
    public let exerciseIDs: Set<String>

    public var curriculumURL: URL { root.appendingPathComponent("Curriculum") }
    public var roadmapURL: URL { curriculumURL.appendingPathComponent("ROADMAP.md") }
    public var exercisesURL: URL { root.appendingPathComponent("Exercises") }

    public static let roadmapDisplayPath = "Curriculum/ROADMAP.md"

    public init(root: URL) throws {
        self.root = root
        let roadmapURL = root.appendingPathComponent("Curriculum/ROADMAP.md")
        let text = try SourceFile.read(roadmapURL, displayPath: Self.roadmapDisplayPath)
        let roadmap = try RoadmapParser(displayPath: Self.roadmapDisplayPath).parse(text)
        let exercisesURL = root.appendingPathComponent("Exercises")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: exercisesURL.path)) ?? []
        let exerciseIDs = Set(folders.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: exercisesURL.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue && !name.hasPrefix(".")
        })
        try Self.validate(roadmap, curriculum: root.appendingPathComponent("Curriculum"), exerciseIDs: exerciseIDs)
        self.roadmap = roadmap
        self.exerciseIDs = exerciseIDs
    }

    static func validate(_ roadmap: Roadmap, curriculum: URL, exerciseIDs: Set<String>) throws {
        let path = roadmapDisplayPath
        for lesson in roadmap.lessons {
            let file = curriculum.appendingPathComponent(lesson.path)
            if !FileManager.default.fileExists(atPath: file.path) {
                throw CourseError("lesson '\(lesson.title)' links to \(lesson.path), which does not exist",
                                  file: path, line: lesson.line,
                                  hint: "create Curriculum/\(lesson.path) or fix the link")
            }
            for exercise in lesson.exercises where !exerciseIDs.contains(exercise) {
                let near = Suggest.nearest(exercise, among: Array(exerciseIDs))
                throw CourseError("lesson '\(lesson.id)' names exercise '\(exercise)', but Exercises/\(exercise)/ does not exist",
                                  file: path, line: lesson.line,
                                  hint: near.isEmpty ? "list exercises that are not built yet under `Coming:`"
                                                     : "did you mean '\(near[0])'? Exercises not built yet go under `Coming:`")
            }
            for exercise in lesson.coming where exerciseIDs.contains(exercise) {
                throw CourseError("exercise '\(exercise)' of lesson '\(lesson.id)' is listed as coming, but Exercises/\(exercise)/ exists",
                                  file: path, line: lesson.line, hint: "move it to the `Exercises:` list")
            }
        }
        var owner: [String: String] = [:]
        for lesson in roadmap.lessons {
            for exercise in lesson.exercises + lesson.coming {
                if let first = owner[exercise] {
                    throw CourseError("exercise '\(exercise)' is named by both '\(first)' and '\(lesson.id)'",
                                      file: path, line: lesson.line, hint: "an exercise belongs to one lesson")
                }
                owner[exercise] = lesson.id
            }
        }
    }

    public func lessonURL(_ lesson: Roadmap.Lesson) -> URL {
        curriculumURL.appendingPathComponent(lesson.path)
    }

    /// The lesson's markdown, checked for UTF-8: the whole file, Answers section included.
    public func lessonText(_ lesson: Roadmap.Lesson) throws -> String {
        try SourceFile.read(lessonURL(lesson), displayPath: "Curriculum/\(lesson.path)")
    }

    /// The lesson split into the text a reader meets first and its self-check answers.
    public func lessonContent(_ lesson: Roadmap.Lesson) throws -> LessonText {
        LessonText(try lessonText(lesson), displayPath: "Curriculum/\(lesson.path)")
    }

    /// For links inside `lesson` (or the roadmap when nil): the lesson a relative link opens.
    public func linkedLesson(_ destination: String, from lesson: Roadmap.Lesson?) -> Roadmap.Lesson? {
        linkedLesson(destination, in: lesson.map { lessonURL($0).deletingLastPathComponent() } ?? curriculumURL)
    }

    /// For links in a file of `folder` (an exercise's README: `../../Curriculum/lessons/x.md`):
    /// the lesson a relative link opens.
    public func linkedLesson(_ destination: String, in folder: URL) -> Roadmap.Lesson? {
        guard let target = linkedFile(destination, in: folder) else { return nil }
        return roadmap.lessons.first { lessonURL($0).standardizedFileURL.path == target.path }
    }

    /// For links in a file of `folder`: the exercise whose folder or README a relative link
    /// opens (`../users-api/README.md`).
    public func linkedExercise(_ destination: String, in folder: URL) -> String? {
        guard let target = linkedFile(destination, in: folder) else { return nil }
        let exercises = exercisesURL.standardizedFileURL.path + "/"
        guard target.path.hasPrefix(exercises) else { return nil }
        let parts = target.path.dropFirst(exercises.count).split(separator: "/")
        guard let id = parts.first.map(String.init), exerciseIDs.contains(id),
              parts.count == 1 || (parts.count == 2 && parts[1] == "README.md") else { return nil }
        return id
    }

    /// The file a relative link to a markdown file or folder points at, else nil (a URL).
    private func linkedFile(_ destination: String, in folder: URL) -> URL? {
        let path = destination.split(separator: "#", maxSplits: 1).first.map(String.init) ?? destination
        guard !path.isEmpty, !path.contains("://"), !path.hasPrefix("mailto:"), !path.hasPrefix("/") else { return nil }
        return folder.appendingPathComponent(path).standardizedFileURL
    }

    /// Finds the course: `COURSE_ROOT`, else the nearest folder holding
    /// `Curriculum/ROADMAP.md` above the executable, else above the current directory.
    public static func locateRoot(environment: [String: String], executable: URL?, currentDirectory: URL) -> URL? {
        if let explicit = environment["COURSE_ROOT"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit).standardizedFileURL
        }
        for start in [executable?.resolvingSymlinksInPath().deletingLastPathComponent(), currentDirectory].compactMap({ $0 }) {
            var folder = start.standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Curriculum/ROADMAP.md").path) {
                    return folder
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }
}
