import Foundation

/// Runs blocking work (a `poll` on a socket, a `waitpid`, a read) on a thread of its own and
/// resumes the caller when it is done.
///
/// Why not `Task.detached`: a detached task runs on the same cooperative pool as every other
/// task, and that pool has one thread per core. On a 2-core grader, two checks blocked in
/// `poll` on silent servers hold both threads, and every other task waits, the timers that
/// enforce the checks' deadlines included. A thread of its own costs tens of microseconds
/// and a little memory, nothing that needs a pool.
public enum Blocking {
    /// Runs `body` on a new thread; its result or error is the caller's.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "course-blocking"
            thread.start()
        }
    }

    /// Runs `body` on a new thread and returns its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = "course-blocking"
            thread.start()
        }
    }

    /// Runs `body(0)`, …, `body(count - 1)` at once, each on a thread of its own, and returns
    /// their results in order once all have ended (a burst of connections opened together).
    public static func all<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for index in 0..<count {
                group.addTask { (index, await run { body(index) }) }
            }
            var results = [T?](repeating: nil, count: count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}
