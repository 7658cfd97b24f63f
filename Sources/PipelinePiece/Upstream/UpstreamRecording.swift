import Foundation

/// Everything the upstream saw since its last reset: each request with its times and
/// connection, and how it ended. Checks read concurrency from it (the most in flight,
/// arrival order, requests after a moment, retries and their gaps, connections opened)
/// instead of guessing it from wall-clock time.
public struct UpstreamRecording: Sendable, Equatable {
    public struct Request: Sendable, Equatable {
        /// 1 for the first request since the last reset, 2 for the next…
        public let number: Int
        /// 1 for the first connection opened since the last reset, 2 for the next…
        public let connection: Int
        public let method: String
        public let path: String
        /// `n` of `/work/{n}`; nil for any other path.
        public let item: Int?
        /// 1 for the first request for this item, 2 for its first retry…
        public let attempt: Int
        public let arrived: Date
        /// When the answer was written in full, the connection reset, or the client went away.
        public var ended: Date?
        public var outcome: Outcome

        /// Seconds from arrival to end (nil while in flight).
        public var seconds: Double? { ended.map { $0.timeIntervalSince(arrived) } }
        public var clientWentAway: Bool { outcome == .clientWentAway }
        /// The item (or path) and, for a retry, its attempt: `4 (attempt 2)`.
        public var label: String { "\(item.map(String.init) ?? path)\(attempt > 1 ? " (attempt \(attempt))" : "")" }
    }

    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case inFlight
        /// Answered in full with this status.
        case answered(Int)
        /// Reset by the upstream, as configured.
        case reset
        /// The client closed the connection before the answer was complete.
        case clientWentAway

        public var description: String {
            switch self {
            case .inFlight: return "in flight"
            case .answered(let status): return String(status)
            case .reset: return "reset"
            case .clientWentAway: return "client went away"
            }
        }
    }

    public var requests: [Request] = []
    public var connectionsOpened = 0
    /// When each connection (numbered as in `Request.connection`) closed, whichever side closed it.
    public var connectionsClosed: [Int: Date] = [:]
    /// The most requests in flight at one moment (counted as they arrive and end).
    public var mostInFlight = 0

    /// Nothing recorded.
    public init() {}

    /// Items of `/work/{n}` requests in the order they arrived (retries included).
    public var arrivalOrder: [Int] { requests.compactMap(\.item) }

    /// Requests that arrived after `moment` (a cancellation, a signal).
    public func requests(after moment: Date) -> [Request] { requests.filter { $0.arrived > moment } }

    /// Requests in flight at `moment`: arrived before it, not ended before it.
    public func inFlight(at moment: Date) -> [Request] {
        requests.filter { $0.arrived <= moment && ($0.ended.map { $0 > moment } ?? true) }
    }

    /// Every request for `item`, first attempt first.
    public func attempts(of item: Int) -> [Request] { requests.filter { $0.item == item } }

    /// Seconds between the end of each attempt for `item` and the arrival of the next one.
    public func retryGaps(of item: Int) -> [Double] {
        let attempts = attempts(of: item)
        return zip(attempts, attempts.dropFirst()).map { previous, next in
            next.arrived.timeIntervalSince(previous.ended ?? previous.arrived)
        }
    }

    /// Whether `request` was the last on its connection and that connection has closed: what
    /// a client that abandons a request (at its deadline, on a cancellation) does, since Go's
    /// Transport closes the connection of a cancelled request. An answer written to it may
    /// never have been read. (Not judged by when the close was seen: on a busy machine the
    /// upstream can notice it after the client's next request has arrived on another connection.)
    public func closedAfter(_ request: Request) -> Bool {
        connectionsClosed[request.connection] != nil
            && !requests.contains { $0.connection == request.connection && $0.number > request.number }
    }

    /// How many attempts each item got, for items asked more than once.
    public var retriedItems: [Int: Int] {
        Dictionary(grouping: requests.compactMap(\.item), by: { $0 }).compactMapValues { $0.count > 1 ? $0.count : nil }
    }
}
