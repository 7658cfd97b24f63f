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

    public static func load(folder: URL) throws -> SubmissionManifest {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return goDefault }
        let display = folder.path + "/" + fileName
        let root = try YAMLFields.parse(try SourceFile.read(url, displayPath: display), file: display)
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
