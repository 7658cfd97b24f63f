import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A child that dies with its parent (bubblewrap's `--die-with-parent`, here `setpriv
/// --pdeathsig`) is tied to the thread that started it. Started from a task on the
/// cooperative pool, whose threads end after a few idle seconds, it was killed while the
/// grader still ran it; `ChildProcess` starts every child from one thread that never ends.
struct SpawnerThreadTests {
    @Test func aChildThatDiesWithItsParentOutlivesTheTaskThatStartedIt() async throws {
        // Started among a burst of tasks, so the pool grows threads that later go idle.
        let child = try await withThrowingTaskGroup(of: ChildProcess?.self) { group in
            for index in 0..<8 {
                group.addTask {
                    if index == 3 {
                        return try ChildProcess.spawn(.init(arguments: ["/usr/bin/setpriv", "--pdeathsig", "KILL", "/bin/sleep", "60"],
                                                            environment: ["PATH": "/usr/bin:/bin"]))
                    }
                    usleep(200_000)
                    return nil
                }
            }
            var started: ChildProcess?
            for try await child in group where child != nil { started = child }
            return try #require(started)
        }
        defer {
            child.send(SIGKILL)
            child.wait()
        }
        // Long enough for idle pool threads to end (about 5 s in libdispatch).
        try await Task.sleep(nanoseconds: 10_000_000_000)
        #expect(child.poll() == nil, "the child was killed when the thread that started it ended: \(String(describing: child.poll()))")
    }
}

/// A child gets standard input, output and error, and no other descriptor of the grader:
/// SwiftNIO opens sockets without close-on-exec, and a learner's program that inherited a
/// companion service's listening socket could take the checks' connections meant for it.
struct InheritedDescriptorTests {
    @Test func aDescriptorOpenedWithoutCloseOnExecDoesNotReachAChild() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socket > 2)
        defer { close(socket) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-fd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let child = try ChildProcess.spawn(.init(arguments: ["/bin/sh", "-c", "if [ -e /proc/self/fd/\(socket) ]; then echo inherited; else echo clean; fi"],
                                                 environment: ["PATH": "/usr/bin:/bin"], stdout: .file(output)))
        #expect(child.wait() == .exited(0))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "clean\n")
    }
}
