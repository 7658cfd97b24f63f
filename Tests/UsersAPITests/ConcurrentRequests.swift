import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Sends many creates at once. In-process, every request is its own task; against a live
/// server, eight connections of HummingbirdTesting's `TestClient` share the requests, so the
/// server sees truly parallel requests either way.
enum ConcurrentRequests {
    static func createUsers(count: Int, through client: ContractClient) async throws -> [Reply] {
        guard let port = client.client.port else {
            return try await withThrowingTaskGroup(of: Reply.self) { group in
                for index in 0..<count {
                    group.addTask { try await client.create("Parallel \(index)", "parallel\(index)@example.com") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        let connections = 8
        return try await withThrowingTaskGroup(of: [Reply].self) { group in
            for connection in 0..<connections {
                group.addTask {
                    let live = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)))
                    live.connect()
                    var replies: [Reply] = []
                    do {
                        for index in stride(from: connection, to: count, by: connections) {
                            let body = Array(try JSONSerialization.data(withJSONObject: ["name": "Parallel \(index)", "email": "parallel\(index)@example.com"]))
                            var headers = HTTPFields()
                            headers[.contentType] = "application/json"
                            let response = try await live.execute(.init("/api/v1/users", method: .post, authority: "localhost",
                                                                        headers: headers, body: ByteBuffer(bytes: body)))
                            let text = response.body.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? ""
                            replies.append(Reply(status: Int(response.head.status.code), contentType: response.head.headerFields[.contentType] ?? "",
                                                 text: text, headers: response.head.headerFields))
                        }
                    } catch {
                        try? await live.shutdown()
                        throw error
                    }
                    try await live.shutdown()
                    return replies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }
}
