import ArgumentParser
import Foundation
import UserRPCPiece

/// `course bench-rpc --port N --call GetUser`: load on any UserService server (user.proto)
/// with the checks' grpc-swift-2 client, for `Benchmarks/user-rpc.sh`. Prints one line,
/// `call calls/s p50-ms p99-ms errors`, and exits 1 if any call failed. Hidden from help: a
/// benchmarking tool, not part of the course.
struct BenchRPCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-rpc", abstract: "Load a user.proto UserService server with unary calls.", shouldDisplay: false)

    @Option(help: "The server's port on 127.0.0.1.") var port: Int
    @Option(help: "GetUser or CreateUser.") var call: String = "GetUser"
    @Option(help: "Calls in flight at once.") var concurrency: Int = 50
    @Option(help: "HTTP/2 connections the calls share.") var connections: Int = 1
    @Option(help: "Seconds measured.") var seconds: Double = 5
    @Option(help: "Seconds of calls before measuring.") var warmUp: Double = 1
    @Option(help: "Calls before a connection is replaced by a new one (grpc-go servers PING so often that swift-nio-http2 closes a connection after about 200 calls).") var callsPerConnection: Int = 100

    func run() async throws {
        guard let kind = UserRPCLoad.Call(rawValue: call) else {
            throw ValidationError("--call must be one of \(UserRPCLoad.Call.allCases.map(\.rawValue).joined(separator: ", ")), not \(call)")
        }
        let report = try await UserRPCLoad.run(.init(port: port, call: kind, concurrency: concurrency, connections: connections,
                                                     seconds: seconds, warmUpSeconds: warmUp, callsPerConnection: callsPerConnection))
        print(report)
        if let error = report.firstError {
            FileHandle.standardError.write(Data("\(report.errors) of \(report.calls) calls failed, the first with \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
