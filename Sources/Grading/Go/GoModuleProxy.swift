import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The offline Go module proxy setup builds from Debian's Go packages
/// (`scripts/go-proxy`, into `.go-proxy/` of the course folder): a folder Go reads through
/// `GOPROXY=file://…`. The learner's own `go` command uses it (setup writes Go's user
/// configuration) and the grader builds module-mode submissions against the same one, so a
/// submission builds for the grader exactly when it builds for its learner.
public struct GoModuleProxy: Sendable, Equatable {
    public struct Module: Sendable, Equatable {
        public let path: String
        public let version: String
        /// The module's go.sum hash (`h1:…`).
        public let hash: String
    }

    public let folder: URL
    /// Every module served, by path.
    public let modules: [Module]
    /// A short digest of what is served: module caches are kept per proxy content, so a
    /// rebuilt proxy never meets files extracted from an older one.
    public let digest: String

    /// Overrides where the proxy is looked for (tests; a proxy kept elsewhere).
    public static let environmentVariable = "COURSE_GO_PROXY"
    /// Where setup builds it, inside the course folder.
    public static let folderName = ".go-proxy"
    static let indexName = "modules.txt"

    /// Reads the proxy's index (`modules.txt`: `path version h1:hash` per line).
    public init(folder: URL) throws {
        self.folder = folder.standardizedFileURL
        let index = folder.appendingPathComponent(Self.indexName)
        let data: Data
        do {
            data = try Data(contentsOf: index)
        } catch {
            throw CourseError("the Go module proxy has no index; run ./course (its setup builds the proxy)", file: index.path)
        }
        var modules: [Module] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ")
            if fields.isEmpty { continue }
            guard fields.count == 3, fields[1].hasPrefix("v"), fields[2].hasPrefix("h1:") else {
                throw CourseError("expected `module version h1:hash`, found `\(LearnerText.excerpt(String(line)))`",
                                  file: index.path, line: number + 1)
            }
            modules.append(Module(path: String(fields[0]), version: String(fields[1]), hash: String(fields[2])))
        }
        self.modules = modules.sorted { $0.path < $1.path }
        digest = String(SHA256.hex(of: Array(data)).prefix(12))
    }

    /// The proxy for a course folder: `$COURSE_GO_PROXY`, else `.go-proxy` inside the
    /// course; nil when there is none (setup has not run) or it cannot be read.
    public static func locate(courseRoot: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> GoModuleProxy? {
        let folder = environment[environmentVariable].map { URL(fileURLWithPath: $0) }
            ?? courseRoot.appendingPathComponent(folderName)
        return try? GoModuleProxy(folder: folder)
    }

    /// The `GOPROXY` value that reads it.
    public var goproxy: String { "file://" + folder.path }

    public func module(_ path: String) -> Module? { modules.first { $0.path == path } }

    /// Whether a process running as another, unprivileged user (the sandbox's) can read the
    /// proxy: every folder above it searchable by others, and the proxy itself readable.
    public var readableByOthers: Bool {
        var folder = self.folder
        while true {
            var info = stat()
            guard stat(folder.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
            if folder.path == "/" { break }
            folder.deleteLastPathComponent()
        }
        return access(self.folder.appendingPathComponent(Self.indexName).path, R_OK) == 0
            && (Self.mode(of: self.folder.appendingPathComponent(Self.indexName).path) & S_IROTH) != 0
    }

    private static func mode(of path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode : 0
    }

    /// A copy of the proxy in `destination` (made by the caller, readable by the sandbox),
    /// for when the course folder itself is private to its owner (a home folder of mode 700).
    public func copy(into destination: URL) throws -> GoModuleProxy {
        let target = destination.appendingPathComponent(Self.folderName)
        do {
            try FileManager.default.copyItem(at: folder, to: target)
        } catch {
            throw CourseError("cannot copy the Go module proxy from \(folder.path) to \(target.path): \(error.localizedDescription)")
        }
        return try GoModuleProxy(folder: target)
    }
}
