import Foundation

/// curl, a real HTTP client, run as a process: the upstream's tests talk to it the way a
/// learner's program does, over loopback. Waits through the termination handler, never
/// blocking a thread of the cooperative pool.
enum Curl {
    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--silent", "--show-error"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let collected = Collected()
        // Read both pipes on their own threads so a big output cannot fill a pipe and stall curl.
        let readers = [out, err].enumerated().map { index, pipe in
            Thread { collected.set(index, pipe.fileHandleForReading.readDataToEndOfFile()) }
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                readers.forEach { $0.start() }
            } catch {
                continuation.resume(throwing: error)
            }
        }
        while !collected.done { try await Task.sleep(nanoseconds: 2_000_000) }
        return Result(status: status, stdout: collected.text(0), stderr: collected.text(1))
    }

    /// `count` GETs at once (`--parallel`, each on its own connection), one `{"n":…}` line per answer.
    static func parallel(_ urls: [String], most: Int) async throws -> Result {
        try await run(["--parallel", "--parallel-immediate", "--parallel-max", String(most), "--write-out", "\\n"] + urls)
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data: [Int: Data] = [:]
        func set(_ index: Int, _ value: Data) { lock.withLock { data[index] = value } }
        var done: Bool { lock.withLock { data.count == 2 } }
        func text(_ index: Int) -> String { lock.withLock { String(decoding: data[index] ?? Data(), as: UTF8.self) } }
    }
}
