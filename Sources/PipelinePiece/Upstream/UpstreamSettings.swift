import Foundation
import Grading

/// How the instrumented upstream answers `GET /work/{n}`: its latency (fixed, with seeded
/// jitter, or per item) and its failures (by item or at a rate). Checks set it between runs
/// (`UpstreamServer.configure`); `course serve upstream` sets it from its options.
public struct UpstreamSettings: Sendable, Equatable {
    /// Seconds before each answer.
    public var latency: Double = 0
    /// Up to this many seconds added to or taken from `latency`, drawn from `seed` per item
    /// and attempt (so later items often finish first, and a seed replays).
    public var jitter: Double = 0
    /// Latency for these items, in place of `latency` and `jitter`.
    public var latencyByItem: [Int: Double] = [:]
    /// Failures for these items (see `UpstreamFailure.attempts`).
    public var failures: [Int: UpstreamFailure] = [:]
    /// The share of other requests, 0…1, that fail with `failRateKind`, drawn from `seed`.
    public var failRate: Double = 0
    public var failRateKind: UpstreamFailure.Kind = .status(503)
    public var seed: UInt64 = 0

    public init(latency: Double = 0, jitter: Double = 0, seed: UInt64 = 0) {
        self.latency = latency
        self.jitter = jitter
        self.seed = seed
    }

    /// The latency of `item`'s `attempt` (1 for the first request for it).
    public func latency(item: Int, attempt: Int) -> Double {
        if let fixed = latencyByItem[item] { return fixed }
        guard jitter > 0 else { return latency }
        var random = SeededRandom(seed: seed, label: "latency \(item) \(attempt)")
        return max(0, latency + Double.random(in: -jitter...jitter, using: &random))
    }

    /// How `item`'s `attempt` fails, nil when it is answered.
    public func failure(item: Int, attempt: Int) -> UpstreamFailure.Kind? {
        if let failure = failures[item] {
            if let attempts = failure.attempts, attempt > attempts { return nil }
            return failure.kind
        }
        guard failRate > 0 else { return nil }
        var random = SeededRandom(seed: seed, label: "failure \(item) \(attempt)")
        return Double.random(in: 0..<1, using: &random) < failRate ? failRateKind : nil
    }
}

/// One way a request for an item fails.
public struct UpstreamFailure: Sendable, Equatable {
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// This status (503, 500, 404…) with a JSON error body, after the item's latency.
        case status(Int)
        /// No answer at all: the request stays open until the client gives up.
        case hang
        /// The connection is reset (RST) after the item's latency, nothing answered.
        case reset
        /// 200 and the head at once, then the body a byte at a time over these seconds.
        case slowBody(Double)

        public var description: String {
            switch self {
            case .status(let code): return String(code)
            case .hang: return "hang"
            case .reset: return "reset"
            case .slowBody(let seconds): return "slow body (\(Int((seconds * 1000).rounded())) ms)"
            }
        }

        /// `503`, `500`, `hang`, `reset`, `slow-body` (2 s) or `slow-body:500ms`.
        public init?(_ text: String) {
            if let code = Int(text), (400...599).contains(code) { self = .status(code); return }
            switch text {
            case "hang": self = .hang
            case "reset": self = .reset
            case "slow-body": self = .slowBody(2)
            default:
                guard text.hasPrefix("slow-body:"), let seconds = ServiceOptionValues(["d": [String(text.dropFirst(10))]]).duration("d") else { return nil }
                self = .slowBody(seconds)
            }
        }
    }

    public var kind: Kind
    /// Only the first this many attempts fail (a retry then succeeds); nil: every attempt.
    public var attempts: Int?

    public init(_ kind: Kind, attempts: Int? = nil) {
        self.kind = kind
        self.attempts = attempts
    }
}
