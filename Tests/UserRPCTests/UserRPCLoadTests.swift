import Foundation
import Testing
@testable import UserRPCPiece

/// `course bench-rpc`'s load generator: its calls succeed while it renews connections (the
/// renewal that keeps grpc-go's BDP PINGs under swift-nio-http2's flood limit must not cost
/// calls), and a server that is not there is an error, not a report of zero.
@Suite struct UserRPCLoadTests {
    @Test(arguments: [UserRPCLoad.Call.getUser, .createUser])
    func callsSucceedAcrossConnectionRenewals(_ call: UserRPCLoad.Call) async throws {
        let server = try await UserRPCServer.start(port: 0)
        do {
            // 60 calls over 2 connections renewed every 5 calls: each slot opens 6 connections.
            let report = try await UserRPCLoad.run(.init(port: server.port, call: call, concurrency: 8, connections: 2, seconds: 1,
                                                         users: 10, callsPerConnection: 5, calls: 60))
            #expect(report.errors == 0, "\(report.errors) of \(report.calls) calls failed, the first with \(report.firstError ?? "?")")
            #expect(report.calls == 60, "\(report)")
            #expect(report.latencies.count == report.calls)
            #expect(report.percentile(0.99) >= report.percentile(0.5))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func aPortNobodyListensOnIsAnError() async throws {
        let server = try await UserRPCServer.start(port: 0)
        let port = server.port
        await server.stop()
        await #expect(throws: (any Error).self) {
            _ = try await UserRPCLoad.run(.init(port: port, call: .getUser, seconds: 0.2, warmUpSeconds: 0, users: 1))
        }
    }
}
