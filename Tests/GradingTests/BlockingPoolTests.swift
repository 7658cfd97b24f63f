import Foundation
import Grading
import Testing

/// Blocking socket work must not hold the cooperative pool (one thread per core): with more
/// HTTP exchanges blocked on a silent server than there are cores, an ordinary async task
/// that sleeps briefly (as the grader's deadline timers do) still runs, and finishes before
/// any of the exchanges gives up. Put `Task.detached` back in `HTTPClient.exchange` and the
/// sleeper runs only once exchanges have timed out: this test fails.
@Suite struct BlockingPoolTests {
    enum Event: Equatable, Sendable {
        case allRequestsArrived, sleeperWoke, exchangeEnded
    }

    /// Events in the order they happened, and a way to wait for them on a plain thread.
    final class Log: @unchecked Sendable {
        private let condition = NSCondition()
        private var events: [Event] = []
        private var requests = 0
        let expected: Int

        init(expected: Int) { self.expected = expected }

        var all: [Event] { condition.withLock { events } }

        func record(_ event: Event) {
            condition.withLock {
                events.append(event)
                condition.broadcast()
            }
        }

        func requestArrived() {
            condition.withLock {
                requests += 1
                if requests == expected { events.append(.allRequestsArrived) }
                condition.broadcast()
            }
        }

        /// Blocks this thread until every request has reached the server, or an exchange
        /// ended (it could not block in time: the pool was too small to start them all).
        func waitForBlockedExchanges() {
            condition.withLock {
                while requests < expected && !events.contains(.exchangeEnded) { condition.wait() }
            }
        }
    }

    @Test func blockedExchangesLeaveThePoolToTimers() async throws {
        let exchanges = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
        let log = Log(expected: exchanges)
        // Accepts, reads the request, never answers; stopping it closes every connection.
        let server = try ThreadedListener(name: "silent-http-server") { connection in
            var request = "", arrived = false
            while let bytes = connection.receive() {
                request += String(decoding: bytes, as: UTF8.self)
                if !arrived && request.contains("\r\n\r\n") {
                    arrived = true
                    log.requestArrived()
                }
            }
        }
        // A long timeout: with the pool free, nothing ends them before the server stops.
        let client = HTTPClient(port: server.port, timeout: 60)
        let exchanging = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<exchanges {
                    group.addTask {
                        _ = try? await client.send(HTTPRequest("GET", "/never"))
                        log.record(.exchangeEnded)
                    }
                }
            }
        }
        await Blocking.run { log.waitForBlockedExchanges() }
        let sleeper = Task {
            try? await Task.sleep(nanoseconds: 20_000_000)
            log.record(.sleeperWoke)
        }
        await sleeper.value
        await server.stop()
        await exchanging.value

        let events = log.all
        #expect(events.first == .allRequestsArrived, "all \(exchanges) exchanges were blocked at once: \(events)")
        #expect(events.dropFirst().first == .sleeperWoke, "the sleeper woke before any exchange ended: \(events)")
        #expect(events.filter { $0 == .exchangeEnded }.count == exchanges)
    }
}
