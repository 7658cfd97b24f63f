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
