import Foundation

/// A request and the response it got: what a check asserts on, and what its failure shows
/// (the request line, headers and body sent; the status, headers and body received; what
/// was expected).
public struct HTTPExchange: Sendable {
    public let request: HTTPRequest
    public let response: HTTPResponse
    /// How the request appeared on the wire (with the headers the client added).
    public let shownRequest: String

    /// A failure of this exchange.
    public func failure(_ message: String, expected: String, hint: String? = nil) -> CheckFailure {
        CheckFailure(message, sent: shownRequest, received: response.shown, expected: expected, hint: hint)
    }

    /// Fails unless the status is one of `statuses`.
    public func expectStatus(_ statuses: Int..., meaning: String? = nil, hint: String? = nil) throws {
        guard !statuses.contains(response.status) else { return }
        let wanted = statuses.map { "\($0) \(Self.reason($0))" }.joined(separator: " or ")
        throw failure("expected status \(statuses.map(String.init).joined(separator: " or ")), got \(response.status)",
                      expected: meaning.map { "\(wanted): \($0)" } ?? wanted, hint: hint ?? Self.statusHint(got: response.status, wanted: statuses))
    }

    /// The body as JSON, after checking the Content-Type says so; fails with the parse error
    /// and its position otherwise.
    public func expectJSON(_ what: String = "a JSON body") throws -> JSONValue {
        guard response.mediaType == "application/json" else {
            throw failure("expected Content-Type: application/json, got \(response.header("Content-Type").map { "\"\($0)\"" } ?? "no Content-Type")",
                          expected: "\(what) with Content-Type: application/json",
                          hint: "in Go: w.Header().Set(\"Content-Type\", \"application/json\") before w.WriteHeader")
        }
        do {
            return try JSONValue(parsing: response.body)
        } catch let error as JSONValue.ParseError {
            throw failure("the body is \(error)", expected: what)
        }
    }

    /// The body as a JSON object with `fields` of the given kinds ("string", "number", …).
    public func expectObject(_ what: String, fields: [String: String] = [:]) throws -> JSONValue {
        let value = try expectJSON(what)
        guard case .object = value else {
            throw failure("expected a JSON object, got \(JSONValue.withArticle(value.kind))", expected: what)
        }
        for (name, kind) in fields.sorted(by: { $0.key < $1.key }) {
            guard let field = value[name] else {
                throw failure("the object has no \"\(name)\" field", expected: what,
                              hint: value.caseHint(for: name))
            }
            guard field.kind == kind else {
                throw failure("\"\(name)\" is \(JSONValue.withArticle(field.kind)), expected \(JSONValue.withArticle(kind))",
                              expected: what)
            }
        }
        return value
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: ""
        }
    }

    static func statusHint(got: Int, wanted: [Int]) -> String? {
        if wanted == [201] && got == 200 {
            return "a handler that creates something answers 201: call w.WriteHeader(http.StatusCreated) before writing the body"
        }
        if wanted == [204] && got == 200 { return "a delete with nothing to return answers 204 No Content, with no body" }
        if got == 405 { return "the server has no handler for this method on this path" }
        if got == 404 && wanted.contains(200) { return "is the route registered at exactly this path?" }
        if got == 500 { return "the handler failed; the server's own output (below) may say why" }
        return nil
    }
}

extension CheckContext {
    /// A client for the server under test, bounded by the stage's deadline.
    public func http(keepAlive: Bool = false, timeout: Double = 5) async throws -> HTTPClient {
        let endpoint = try await endpoint()
        return HTTPClient(host: endpoint.host, port: endpoint.port, keepAlive: keepAlive,
                          deadline: deadline.addingTimeInterval(-0.25), timeout: timeout, activity: activity)
    }
}
