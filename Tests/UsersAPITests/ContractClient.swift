import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A response read back as text and (when it parses) JSON.
struct Reply: CustomStringConvertible {
    let status: Int
    let contentType: String
    let text: String
    let headers: HTTPFields

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any]? { json as? [String: Any] }
    var isJSON: Bool { contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } == "application/json" }
    var id: Int? { object?["id"] as? Int }
    var description: String { "\(status) [\(contentType)] \(text.prefix(300))" }

    /// A 4xx whose body is `{"error": "<non-empty string>"}` sent as application/json.
    var isJSONClientError: Bool {
        (400..<500).contains(status) && isJSON && ((object?["error"] as? String).map { !$0.isEmpty } ?? false)
    }
}

/// What the scenarios send requests through: HummingbirdTesting's client, in-process or live.
struct ContractClient: Sendable {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ path: String, body: [UInt8]? = nil,
              contentType: String? = "application/json", headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return Reply(status: Int(response.status.code), contentType: response.headers[.contentType] ?? "",
                     text: String(decoding: response.body.readableBytesView, as: UTF8.self), headers: response.headers)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, json: Any, headers: HTTPFields = [:]) async throws -> Reply {
        try await send(method, path, body: Array(try JSONSerialization.data(withJSONObject: json)), headers: headers)
    }

    func create(_ name: String, _ email: String) async throws -> Reply {
        try await send(.post, "/api/v1/users", json: ["name": name, "email": email])
    }
}

/// Problems found by a scenario; empty means the server met the contract.
struct Findings {
    private(set) var problems: [String] = []

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { problems.append(message()) }
    }
}
