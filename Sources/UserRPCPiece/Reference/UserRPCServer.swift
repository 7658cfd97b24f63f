import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Grading

/// The reference user RPC server: grpc-swift-2 over plaintext HTTP/2 (SwiftNIO) on
/// 127.0.0.1, serving `UserService` from memory. `course serve user-rpc` runs it, and the
/// checks' `course verify` grades it as the sample answer.
public final class UserRPCServer: ServiceInstance, @unchecked Sendable {
    public let port: Int
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let serving: Task<Void, any Error>
    let directory: UserDirectory

    private init(port: Int, server: GRPCServer<HTTP2ServerTransport.Posix>, serving: Task<Void, any Error>, directory: UserDirectory) {
        self.port = port
        self.server = server
        self.serving = serving
        self.directory = directory
    }

    /// Starts serving on `port` (0: a free one, read back from `port`), once it is bound.
    public static func start(port: Int, log: (@Sendable (String) -> Void)? = nil) async throws -> UserRPCServer {
        let directory = UserDirectory()
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: port),
                                                   transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [UserServiceReference(directory: directory, log: log)])
        let serving = Task { try await server.serve() }
        do {
            let address = try await transport.listeningAddress
            guard let bound = address.ipv4?.port else { throw UserRPCServerError("the server listens on \(address), not IPv4") }
            return UserRPCServer(port: bound, server: server, serving: serving, directory: directory)
        } catch {
            server.beginGracefulShutdown()
            _ = await serving.result
            throw error
        }
    }

    public func reset() async {
        directory.removeAll()
    }

    /// Stops accepting calls, lets those in flight end, and returns once the server is gone.
    public func stop() async {
        server.beginGracefulShutdown()
        _ = await serving.result
    }
}

struct UserRPCServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
