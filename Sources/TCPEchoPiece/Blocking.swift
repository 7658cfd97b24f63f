import Foundation

/// Runs blocking socket work on a thread of its own, so a check that waits on a slow server
/// never holds one of the few threads the grader's async tasks share.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "course-tcp-echo"
            thread.start()
        }
    }
}
