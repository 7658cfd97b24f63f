import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Runs helper programs (python3, curl, sh) with `ChildProcess`, output through files, and
/// returns what they printed. A program that outlives `timeout` is killed with its group.
enum ExternalTool {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let environment: [String: String] = {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for key in ["HOME", "PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"] {
            environment[key] = ProcessInfo.processInfo.environment[key]
        }
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        return environment
    }()

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("users-api-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs to the end on a thread of its own (never holding a thread of the cooperative
    /// pool the servers under test need); throws with its output when it does not exit 0.
    @discardableResult
    static func run(_ arguments: [String], input: String = "", timeout: Double = 120, directory: String? = nil) async throws -> String {
        try await Blocking.run { try runBlocking(arguments, input: input, timeout: timeout, directory: directory) }
    }

    @discardableResult
    static func runBlocking(_ arguments: [String], input: String = "", timeout: Double = 120, directory: String? = nil) throws -> String {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("stdin")
        try Data(input.utf8).write(to: inputFile)
        let stdin = open(inputFile.path, O_RDONLY | O_CLOEXEC)
        defer { close(stdin) }
        let out = folder.appendingPathComponent("stdout").path, err = folder.appendingPathComponent("stderr").path
        let child = try ChildProcess.spawn(.init(arguments: arguments, environment: environment, directory: directory, stdin: .descriptor(stdin),
                                                 stdout: .file(out), stderr: .file(err)))
        let termination = child.wait(timeout: timeout) ?? {
            child.sendToGroup(SIGKILL)
            return child.wait()
        }()
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard termination == .exited(0) else {
            let errors = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
            throw Failure(description: "\(arguments.prefix(2).joined(separator: " ")) \(termination)\n--- stdout\n\(output.suffix(6000))\n--- stderr\n\(errors.suffix(6000))")
        }
        return output
    }
}

enum Python {
    static func run(_ script: String, input: String, timeout: Double = 120) async throws -> String {
        try await ExternalTool.run(["python3", "-c", script], input: input, timeout: timeout)
    }

    static func canImport(_ module: String) -> Bool {
        (try? ExternalTool.runBlocking(["python3", "-c", "import \(module)"], timeout: 60)) != nil
    }
}
