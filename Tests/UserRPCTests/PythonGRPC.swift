import Foundation
import Grading

/// Python's grpcio, a gRPC stack nobody here wrote: `grpcio-tools` generates `user_pb2` and
/// `user_pb2_grpc` from the exercise's user.proto into a scratch folder, next to the
/// test's scripts (`Scripts/user_client.py`, `Scripts/user_server.py`). Installed by
/// `bash scripts/setup.sh --tests`.
struct PythonGRPC {
    let folder: URL

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

    /// Generates the Python code into a new scratch folder (removed by `remove()`).
    static func generate() async throws -> PythonGRPC {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("user-rpc-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for script in ["user_client.py", "user_server.py"] {
            try FileManager.default.copyItem(at: scripts.appendingPathComponent(script), to: folder.appendingPathComponent(script))
        }
        let python = PythonGRPC(folder: folder)
        let proto = UserRPCReferenceTests.exerciseFolder.path
        let (status, output) = try await python.run(["-m", "grpc_tools.protoc", "-I", proto, "--python_out=.", "--grpc_python_out=.", "user.proto"])
        guard status == .exited(0) else {
            python.remove()
            throw PythonGRPCMissing(output: output)
        }
        return python
    }

    /// Runs `python3 arguments…` in the folder and returns its status and output (both streams).
    func run(_ arguments: [String], seconds: Double = 120) async throws -> (ChildProcess.Termination?, String) {
        let log = folder.appendingPathComponent("log-\(UUID().uuidString)")
        let child = try ChildProcess.spawn(.init(arguments: ["/usr/bin/env", "python3"] + arguments, environment: environment,
                                                 directory: folder.path, stdout: .file(log.path), stderr: .file(log.path, append: true),
                                                 group: .newGroup))
        let status = await Blocking.run { child.wait(timeout: seconds) }
        child.sendToGroup(SIGKILL)
        if status == nil { _ = await Blocking.run { child.wait() } }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// The command that starts the Python server on `$PORT`, for the grader.
    /// The grader runs it with a PATH of its own, so the python3 is named by its full path:
    /// the one on this test's PATH, which setup installed grpcio into.
    var serverCommand: String {
        let python = ChildProcess.resolve("python3", path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") ?? "python3"
        return "'\(python)' '\(folder.appendingPathComponent("user_server.py").path)'"
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        return environment
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

struct PythonGRPCMissing: Error, CustomStringConvertible {
    let output: String
    var description: String { "grpcio-tools could not generate user.proto's Python code (install grpcio and grpcio-tools with `bash scripts/setup.sh --tests`):\n\(output)" }
}
