import Foundation

/// The learner's folder: their exercise code and `progress.sqlite`.
///
/// Chosen by, in order: the `--workspace` flag, the `COURSE_WORKSPACE` environment
/// variable, else `workspace/` inside the course folder.
public struct Workspace: Sendable {
    public enum Source: String, Sendable {
        case flag = "--workspace"
        case environment = "COURSE_WORKSPACE"
        case defaultLocation = "default"
    }

    public let url: URL
    public let source: Source

    public var progressURL: URL { url.appendingPathComponent("progress.sqlite") }

    public init(url: URL, source: Source) {
        self.url = url
        self.source = source
    }

    public static func resolve(flag: String?, environment: [String: String], courseRoot: URL, currentDirectory: URL) -> Workspace {
        func absolute(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            return URL(fileURLWithPath: expanded, relativeTo: currentDirectory).standardizedFileURL
        }
        if let flag, !flag.isEmpty { return Workspace(url: absolute(flag), source: .flag) }
        if let env = environment["COURSE_WORKSPACE"], !env.isEmpty { return Workspace(url: absolute(env), source: .environment) }
        return Workspace(url: courseRoot.appendingPathComponent("workspace"), source: .defaultLocation)
    }

    /// Creates the folder if needed; returns true when it was created now (a first run).
    @discardableResult
    public func create() throws -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CourseError("the workspace path is a file, not a folder", file: url.path,
                                  hint: "choose another with --workspace or COURSE_WORKSPACE")
            }
            return !FileManager.default.fileExists(atPath: progressURL.path)
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw CourseError("cannot create the workspace folder: \(error.localizedDescription)", file: url.path,
                              hint: "choose a writable folder with --workspace or COURSE_WORKSPACE")
        }
        return true
    }
}
