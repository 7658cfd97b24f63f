import CourseEngine
import Foundation

/// `course.yaml` in a submission folder (optional): how the submission is built and run.
///
/// ```yaml
/// track: go                  # go (default) or any: then build and run are required
/// build: go build -o app .   # a shell command, run in the submission's folder
/// run: ./app                 # the program, started by the grader with the exercise's variables
/// learner: ada               # the name reports use (default: the folder's name)
/// ```
/// Without the file, a Go submission is built with `go build` and its binary run.
public struct SubmissionManifest: Sendable, Equatable {
    public var track: String
    /// A shell command; empty means nothing to build.
    public var build: String
    public var run: String
    public var learner: String?

    public static let fileName = "course.yaml"

    public static let goDefault = SubmissionManifest(track: "go", build: "go build -o .course-bin/program .", run: "./.course-bin/program", learner: nil)

    /// The most a `course.yaml` may hold: a few lines of settings, never read whole when
    /// someone puts gigabytes there.
    public static let maximumBytes = 64 * 1024

    /// The manifest of the submission in `folder`, or `goDefault` when it has none. Anything
    /// wrong with it is the submission's (`SubmissionRefused`); see `load(from:)`.
    public static func load(folder: URL) throws -> SubmissionManifest {
        try load(from: SubmissionFiles(folder))
    }

    /// Reads `course.yaml` without following a link (a link is refused: the grader runs as
    /// root and must not read what it points to), up to `maximumBytes`. Every error,
    /// including the YAML's, is a `SubmissionRefused` whose reason quotes the file only as a
    /// short escaped excerpt.
    public static func load(from files: SubmissionFiles) throws -> SubmissionManifest {
        guard let data = try files.readTopLevelFile(fileName, limit: maximumBytes) else { return goDefault }
        do {
            return try parse(SourceFile.text(data, displayPath: files.display(fileName)), file: files.display(fileName))
        } catch let error as CourseError {
            throw SubmissionRefused(error)
        }
    }

    static func parse(_ text: String, file: String) throws -> SubmissionManifest {
        let root = try YAMLFields.parse(text, file: file)
        try root.allowOnly(["track", "build", "run", "learner"])
        let track = try root.string("track") ?? "go"
        switch track {
        case "go":
            return SubmissionManifest(track: track, build: try root.string("build") ?? goDefault.build,
                                      run: try root.string("run") ?? goDefault.run, learner: try root.string("learner"))
        default:
            return SubmissionManifest(track: track, build: try root.string("build") ?? "",
                                      run: try root.requiredString("run"), learner: try root.string("learner"))
        }
    }
}
