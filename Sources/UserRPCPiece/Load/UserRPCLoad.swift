import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// A load generator for any `UserService` server: `concurrency` callers, spread over
/// `connections` HTTP/2 connections (each renewed every `callsPerConnection` calls), each making one unary call after another for a fixed
/// time. `Benchmarks/user-rpc.sh` runs it (`course bench-rpc`) against the reference, the
/// Go sample solution and a Python grpcio server alike, so the same client's cost falls on
/// all three. No `ghz` can be had here; this is grpc-swift-2, the checks' own client.
public enum UserRPCLoad {
    public enum Call: String, CaseIterable, Sendable {
        /// `GetUser` of one of the users created before the run, in turn.
        case getUser = "GetUser"
        /// `CreateUser` with a new email every call.
        case createUser = "CreateUser"
    }

    public struct Plan: Sendable {
        public var port: Int
        public var call: Call
        public var concurrency: Int
        public var connections: Int
        public var seconds: Double
        /// Calls before measuring (not counted), so connections and caches are warm.
        public var warmUpSeconds: Double
        /// Users created before a `GetUser` run.
        public var users: Int
        /// Calls before a connection is replaced by a new one (see `ConnectionSlot`).
        public var callsPerConnection: Int
        /// With a number, the measured run ends after this many calls instead of after `seconds`
        /// (and the warm-up is skipped).
        public var calls: Int?

        public init(port: Int, call: Call, concurrency: Int = 50, connections: Int = 1, seconds: Double = 5,
                    warmUpSeconds: Double = 1, users: Int = 100, callsPerConnection: Int = 100, calls: Int? = nil) {
            self.port = port
            self.call = call
            self.concurrency = concurrency
            self.connections = connections
            self.seconds = seconds
            self.warmUpSeconds = warmUpSeconds
            self.users = users
            self.callsPerConnection = callsPerConnection
            self.calls = calls
        }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public let call: Call
        public let calls: Int
        /// Calls that ended with a status other than OK (counted in `calls`, not in the latencies).
        public let errors: Int
        /// The first failure's status, so a broken run says why.
        public let firstError: String?
        public let seconds: Double
        /// Latencies of the successful calls, in seconds, sorted.
        public let latencies: [Double]

        public var callsPerSecond: Double { Double(calls - errors) / seconds }

        public func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
            return latencies[max(0, index)]
        }

        /// One line: `call calls/s p50-ms p99-ms errors`.
        public var description: String {
            String(format: "%@ %.0f %.3f %.3f %d", call.rawValue, callsPerSecond, percentile(0.5) * 1000,
                   percentile(0.99) * 1000, errors)
        }
    }

    /// Runs the plan: creates the users a `GetUser` run reads, warms up, then measures.
    public static func run(_ plan: Plan) async throws -> Report {
        guard plan.concurrency > 0, plan.connections > 0, plan.seconds > 0, plan.callsPerConnection > 0 else {
            throw LoadError("concurrency, connections, seconds and calls per connection must be above zero")
        }
        let slots = try (0..<plan.connections).map { _ in try ConnectionSlot(port: plan.port, calls: plan.callsPerConnection) }
        defer { for slot in slots { slot.close() } }
        let ids = plan.call == .getUser ? try await createUsers(plan.users, with: slots[0]) : []
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        if plan.calls == nil {
            _ = await measure(plan, slots: slots, ids: ids, seconds: plan.warmUpSeconds, tag: "\(run)w")
        }
        return await measure(plan, slots: slots, ids: ids, seconds: plan.seconds, tag: run)
    }

    private static func createUsers(_ count: Int, with slot: ConnectionSlot) async throws -> [Int32] {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var ids: [Int32] = []
        for index in 0..<max(1, count) {
            let user = try await slot.next().createUser(User_CreateUserRequest.with {
                $0.name = "Load User \(index)"
                $0.email = "load.\(tag).\(index)@example.com"
            })
            ids.append(user.id)
        }
        return ids
    }

    /// `plan.concurrency` callers, each calling until `seconds` have passed.
    private static func measure(_ plan: Plan, slots: [ConnectionSlot], ids: [Int32], seconds: Double, tag: String) async -> Report {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .seconds(plan.calls == nil ? seconds : 86_400)
        let tickets = Tickets()
        let results = await withTaskGroup(of: ([Double], Int, Int, String?).self) { group in
            for caller in 0..<plan.concurrency {
                let slot = slots[caller % slots.count]
                group.addTask {
                    var latencies: [Double] = []
                    var calls = 0
                    var errors = 0
                    var firstError: String?
                    var next = caller
                    while clock.now < end {
                        if let limit = plan.calls, tickets.take() > limit { break }
                        let service = slot.next()
                        let began = clock.now
                        do {
                            switch plan.call {
                            case .getUser:
                                _ = try await service.getUser(.with { $0.id = ids[next % ids.count] })
                            case .createUser:
                                _ = try await service.createUser(.with {
                                    $0.name = "Load User"
                                    $0.email = "load.\(tag).\(caller).\(next)@example.com"
                                })
                            }
                            latencies.append((clock.now - began).seconds)
                        } catch {
                            errors += 1
                            if firstError == nil { firstError = (error as? RPCError).map { "\($0.code): \($0.message)" } ?? "\(error)" }
                        }
                        calls += 1
                        next += plan.concurrency
                    }
                    return (latencies, calls, errors, firstError)
                }
            }
            var all: ([Double], Int, Int, String?) = ([], 0, 0, nil)
            for await (latencies, calls, errors, firstError) in group {
                all.0 += latencies
                all.1 += calls
                all.2 += errors
                all.3 = all.3 ?? firstError
            }
            return all
        }
        let elapsed = (clock.now - start).seconds
        return Report(call: plan.call, calls: results.1, errors: results.2, firstError: results.3, seconds: elapsed,
                      latencies: results.0.sorted())
    }
}

/// Numbers calls across callers, for a run of a fixed number of calls.
private final class Tickets: Sendable {
    private let taken = Atomic(0)
    /// The number of this call, from 1.
    func take() -> Int { taken.add(1, ordering: .relaxed).newValue }
}

/// One HTTP/2 connection of the load, replaced by a new one every `calls` calls: a grpc-go
/// server sends a BDP PING for nearly every request it reads, and swift-nio-http2 (under
/// grpc-swift-2's client, which cannot change the limit) closes a connection that receives
/// more than 200 PINGs in 30 s as a flood. The old connection finishes its calls in flight
/// and closes 2 s later. Every server under the benchmark pays the same renewals.
private final class ConnectionSlot: Sendable {
    private struct State {
        var client: GRPCClient<HTTP2ClientTransport.Posix>
        var used = 0
    }

    private let port: Int
    private let calls: Int
    private let state: Mutex<State>

    init(port: Int, calls: Int) throws {
        self.port = port
        self.calls = calls
        let client = try Self.connect(port)
        Self.start(client)
        state = Mutex(State(client: client))
    }

    /// The client for the next call.
    func next() -> User_UserService.Client<HTTP2ClientTransport.Posix> {
        let client = state.withLock { state in
            state.used += 1
            if state.used > calls, let fresh = try? Self.connect(port) {
                // Calls already started on the old connection end first: closing it at once
                // would end some with UNAVAILABLE ("Stream unexpectedly closed").
                let old = state.client
                Task {
                    try? await Task.sleep(for: .seconds(2))
                    old.beginGracefulShutdown()
                }
                state.client = fresh
                state.used = 1
                Self.start(fresh)
            }
            return state.client
        }
        return User_UserService.Client(wrapping: client)
    }

    func close() {
        state.withLock { state in state.client.beginGracefulShutdown() }
    }

    private static func connect(_ port: Int) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
        GRPCClient(transport: try HTTP2ClientTransport.Posix(target: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext))
    }

    /// Runs the client's connections until it is shut down (`beginGracefulShutdown`).
    private static func start(_ client: GRPCClient<HTTP2ClientTransport.Posix>) {
        Task { try? await client.runConnections() }
    }
}

public struct LoadError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
