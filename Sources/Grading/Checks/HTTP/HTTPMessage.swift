import Foundation

/// A request a check sends, kept exactly as sent so a failure can show it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// Path and query, as on the request line: "/api/v1/users/7".
    public var target: String
    /// In order, as sent. `Host`, `Content-Length` and `Connection` are added by the client.
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(_ method: String, _ target: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// A request whose body is `json` (already encoded text, sent byte for byte, so checks
    /// can send malformed JSON on purpose), with `Content-Type: application/json`.
    public static func json(_ method: String, _ target: String, _ json: String, headers: [(name: String, value: String)] = []) -> HTTPRequest {
        HTTPRequest(method, target, headers: [("Content-Type", "application/json")] + headers, body: Data(json.utf8))
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The request line, headers and body, exactly as they go on the wire.
    public var bytes: [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + Array(body)
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.body == b.body
            && a.headers.map { [$0.name, $0.value] } == b.headers.map { [$0.name, $0.value] }
    }
}

/// A response as it came back: status, headers in order, the body after transfer decoding.
public struct HTTPResponse: Sendable, Equatable {
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(version: String = "HTTP/1.1", status: Int, reason: String = "", headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The media type without parameters, lower-cased: "application/json".
    public var mediaType: String? {
        header("Content-Type").map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, or nil when it is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: body) }

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.version == b.version && a.status == b.status && a.reason == b.reason && a.body == b.body
            && a.headers.map { [$0.name, $0.value] } == b.headers.map { [$0.name, $0.value] }
    }
}

// MARK: Showing messages in failures

/// How much of a body a failure message shows.
let shownBodyBytes = 2048

extension HTTPRequest {
    /// The request line, the headers a reader needs, and the body (cut when long).
    public var shown: String {
        var lines = ["\(method) \(target) HTTP/1.1"]
        for (name, value) in headers { lines.append("\(name): \(value)") }
        var text = lines.joined(separator: "\n")
        if !body.isEmpty { text += "\n\n" + showBody(body) }
        return text
    }
}

extension HTTPResponse {
    /// The status line, the headers, and the body (cut when long).
    public var shown: String {
        var lines = ["\(version) \(status)\(reason.isEmpty ? "" : " " + reason)"]
        for (name, value) in headers where !Self.noise.contains(name.lowercased()) { lines.append("\(name): \(value)") }
        var text = lines.joined(separator: "\n")
        if !body.isEmpty { text += "\n\n" + showBody(body) }
        return text
    }

    /// Headers that say nothing about the contract.
    static let noise: Set<String> = ["date", "server", "x-powered-by"]
}

/// A body for a message: text as it is (control characters made visible), binary as a
/// count, anything long cut with the number of bytes left out.
func showBody(_ body: Data) -> String {
    let cut = body.count > shownBodyBytes
    let part = cut ? body.prefix(shownBodyBytes) : body
    guard let text = String(data: Data(part), encoding: .utf8) ?? (cut ? String(decoding: part, as: UTF8.self) : nil) else {
        return "(\(body.count) bytes of binary data)"
    }
    let visible = String(text.unicodeScalars.map { scalar -> String in
        switch scalar {
        case "\n", "\t": return String(scalar)
        case "\r": return "\\r"
        default: return scalar.properties.generalCategory == .control ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
    }.joined())
    return cut ? visible + "… (\(body.count - shownBodyBytes) more bytes)" : visible
}
