import Foundation
@testable import PipelinePiece
import Testing

/// The numbers `pipeline-resilient`'s checks judge by, and the breaker check's reading of a
/// recording, on recordings written by hand: what a correct breaker leaves, what one that
/// never opens or opens too briefly leaves, and the requests a correct program may still
/// send just after the failure that opens it.
@Suite struct ResilienceTests {
    let fifth = Date(timeIntervalSince1970: 1_000)

    func at(_ seconds: Double...) -> [Date] { seconds.map { fifth.addingTimeInterval($0) } }

    @Test func theShortestWaitsAreHalfOf100200And400Milliseconds() {
        #expect([1, 2, 3].map { Resilience.shortestWait(beforeRetry: $0) } == [0.05, 0.1, 0.2])
    }

    @Test func aPauseOfTheCoolDownThenAProbeIsFound() {
        let arrivals = at(-0.3, -0.1, 1.02, 1.3, 1.4)
        #expect(Resilience.quietPause(after: fifth, arrivals: arrivals) == .some(fifth.addingTimeInterval(1.02)))
    }

    @Test func requestsLetThroughJustBeforeTheBreakerOpenedAreAllowed() {
        // The other worker's request arrives 0.1 s after the fifth failure ended, and the
        // pause starts there.
        let arrivals = at(-0.1, 0.1, 1.05)
        #expect(Resilience.quietPause(after: fifth, arrivals: arrivals) == .some(fifth.addingTimeInterval(1.05)))
    }

    @Test func aProgramThatKeepsCallingHasNoPause() {
        let arrivals = stride(from: -0.5, through: 3, by: 0.1).map { fifth.addingTimeInterval($0) }
        #expect(Resilience.quietPause(after: fifth, arrivals: arrivals) == nil)
    }

    @Test func aCoolDownOfHalfASecondIsTooShort() {
        let arrivals = at(-0.1, 0.5, 0.6, 1.1)
        #expect(Resilience.quietPause(after: fifth, arrivals: arrivals) == nil)
    }

    @Test func aPauseThatBeginsLateIsNotTheBreakers() {
        // Requests went on for 0.5 s after the fifth failure, then stopped.
        let arrivals = at(0.1, 0.2, 0.35, 0.5, 1.6)
        #expect(Resilience.quietPause(after: fifth, arrivals: arrivals) == nil)
    }

    @Test func aPauseWithNoProbeAfterIt() {
        #expect(Resilience.quietPause(after: fifth, arrivals: at(-0.1)) == .some(nil))
    }
}
