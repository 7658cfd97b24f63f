import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The built `course serve users-api`, running in its own process group on a port the
/// system chose. Killed with its group when released, so a failing test leaves nothing behind.
final class ServedUsersAPI {
    /// The `course` executable built beside the test bundle (as `CLIHarness` finds it).
    static let binary: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("course")
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")
    static let openAPI = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Exercises/users-api/openapi.yaml")

    let child: ChildProcess
    let folder: URL
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var stdoutPath: String { folder.appendingPathComponent("stdout").path }
    var stderrPath: String { folder.appendingPathComponent("stderr").path }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    init(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        folder = try ExternalTool.temporaryFolder()
        var environment = ExternalTool.environment
        environment.merge(extra) { $1 }
        child = try ChildProcess.spawn(.init(
            arguments: [Self.binary.path, "serve", "users-api", "--port", "0"] + arguments,
            environment: environment, stdout: .file(folder.appendingPathComponent("stdout").path),
            stderr: .file(folder.appendingPathComponent("stderr").path)))
        do {
            port = try Self.waitForPort(child: child, stdout: folder.appendingPathComponent("stdout").path)
        } catch {
            child.sendToGroup(SIGKILL)
            child.wait()
            throw error
        }
    }

    /// Reads the one line `users-api listening on http://127.0.0.1:PORT`.
    private static func waitForPort(child: ChildProcess, stdout: String) throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("users-api listening on http://127.0.0.1:") }),
               let port = Int(line.split(separator: ":").last ?? "") {
                return port
            }
            if let ended = child.poll() {
                throw ExternalTool.Failure(description: "course serve users-api \(ended) before listening: \(text)")
            }
            usleep(20_000)
        }
        throw ExternalTool.Failure(description: "course serve users-api printed no address within 30 s")
    }

    /// Waits until stderr holds `text` (a log line), at most `seconds`.
    func waitForLog(_ text: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    /// SIGTERM, then the exit status (nil if it did not exit within `seconds`).
    func terminate(within seconds: Double = 20) -> ChildProcess.Termination? {
        child.send(SIGTERM)
        return child.wait(timeout: seconds)
    }

    deinit {
        if child.poll() == nil {
            child.sendToGroup(SIGKILL)
            child.wait()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
