import Foundation

/// What a running check is waiting for ("the response to GET /users, at most 5 s"), so a
/// person watching sees that a check is waiting, and on what, rather than a log that seems
/// to hang: a blocked handler costs the full 5 s of the HTTP client's time-out.
///
/// The HTTP client, the program runner and the server start-up say when a wait begins and
/// ends; the grader announces a wait that lasts (`Grader.Event.checkWaiting`).
public final class CheckActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Int: (what: String, since: Date)] = [:]
    private var nextToken = 0

    public init() {}

    /// Starts a wait described by `what`; returns the token that ends it.
    @discardableResult
    public func begin(_ what: String) -> Int {
        lock.withLock {
            nextToken += 1
            waits[nextToken] = (what, Date())
            return nextToken
        }
    }

    public func end(_ token: Int) {
        lock.withLock { _ = waits.removeValue(forKey: token) }
    }

    /// Runs `body` as a wait on `what`.
    public func waiting<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
        let token = begin(what)
        defer { end(token) }
        return try body()
    }

    /// The oldest wait that has lasted `seconds` or more, with its token, else nil.
    func lasting(_ seconds: Double, now: Date = Date()) -> (token: Int, what: String)? {
        lock.withLock {
            waits.filter { now.timeIntervalSince($0.value.since) >= seconds }
                .min { $0.key < $1.key }
                .map { ($0.key, $0.value.what) }
        }
    }
}
