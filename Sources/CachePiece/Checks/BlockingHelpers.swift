import Foundation
import Grading

extension Blocking {
    /// Runs `body(0)`, …, `body(count - 1)` at once on threads of their own, from a thread
    /// that may block, and returns their results in order.
    static func allSync<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = LockedArray<T>(count: count)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                results.set(index, body(index))
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return results.values
    }
}

/// Results written by several threads, one slot each.
final class LockedArray<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: T) {
        lock.withLock { slots[index] = value }
    }

    var values: [T] { lock.withLock { slots.compactMap { $0 } } }
}

/// Two times a blocking check body hands back.
final class TimeBox: @unchecked Sendable {
    private var times = (sent: Date(), answered: Date())
    private let lock = NSLock()

    func set(_ sent: Date, _ answered: Date) {
        lock.withLock { times = (sent, answered) }
    }

    var value: (sent: Date, answered: Date) { lock.withLock { times } }
}
