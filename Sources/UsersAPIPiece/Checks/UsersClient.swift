import Foundation
import Grading

/// The users API as the checks call it: each call sends one request, asserts what the
/// contract fixes about the response, and fails with the exchange when it does not hold.
/// Calls ending in `Exchange` return the raw exchange for checks about errors.
struct UsersClient: Sendable {
    let http: HTTPClient
    static let collection = "/api/v1/users"

    init(_ http: HTTPClient) {
        self.http = http
    }

    init(_ context: CheckContext, keepAlive: Bool = false) async throws {
        http = try await context.http(keepAlive: keepAlive)
    }

    // MARK: Requests

    func listExchange() async throws -> HTTPExchange {
        try await http.exchange(HTTPRequest("GET", Self.collection))
    }

    func createExchange(name: String, email: String) async throws -> HTTPExchange {
        try await http.exchange(.json("POST", Self.collection, CheckedUser.body(name: name, email: email)))
    }

    func createExchange(body: String, contentType: String? = "application/json") async throws -> HTTPExchange {
        var request = HTTPRequest("POST", Self.collection, body: Data(body.utf8))
        if let contentType { request.headers.append(("Content-Type", contentType)) }
        return try await http.exchange(request)
    }

    func getExchange(_ id: String) async throws -> HTTPExchange {
        try await http.exchange(HTTPRequest("GET", "\(Self.collection)/\(id)"))
    }

    func updateExchange(_ id: String, body: String) async throws -> HTTPExchange {
        try await http.exchange(.json("PUT", "\(Self.collection)/\(id)", body))
    }

    func deleteExchange(_ id: String) async throws -> HTTPExchange {
        try await http.exchange(HTTPRequest("DELETE", "\(Self.collection)/\(id)"))
    }

    // MARK: Calls that must succeed

    /// `GET /api/v1/users` → 200 `{"users": [user…]}`, in ascending id order.
    func list() async throws -> [CheckedUser] {
        let exchange = try await listExchange()
        let expected = "200 with {\"users\": [...]}, the users ordered by id"
        try exchange.expectStatus(200, meaning: "the list of users")
        let body = try exchange.expectObject(expected, fields: ["users": "array"])
        let users = try body["users"]!.array!.map { try CheckedUser.read($0, in: exchange, what: expected) }
        let ids = users.map(\.id)
        if let after = zip(ids, ids.dropFirst()).first(where: { $0.0 > $0.1 }) {
            throw exchange.failure("the users are not ordered by id: \(after.1) comes after \(after.0) (ids in the list: \(BriefList(ids)))",
                                   expected: expected,
                                   hint: "Go's map iteration order is random: sort the users by id (sort.Slice) before encoding")
        }
        if Set(ids).count != ids.count {
            throw exchange.failure("the list has the same id twice", expected: expected)
        }
        return users
    }

    /// `POST /api/v1/users` → 201 with the new user, its name and email as sent.
    func create(name: String, email: String) async throws -> CheckedUser {
        let exchange = try await createExchange(name: name, email: email)
        return try Self.created(exchange, name: name, email: email)
    }

    static func created(_ exchange: HTTPExchange, name: String, email: String) throws -> CheckedUser {
        let expected = "201 Created with the new user: {\"id\": <positive number>, \"name\": \(JSONValue.quote(name)), \"email\": \(JSONValue.quote(email))}"
        try exchange.expectStatus(201, meaning: "the new user")
        let user = try CheckedUser.read(try exchange.expectJSON(expected), in: exchange, what: expected)
        if user.name != name || user.email != email {
            throw exchange.failure("the new user's name or email differs from what was sent", expected: expected,
                                   hint: user.name != name && !name.unicodeScalars.allSatisfy(\.isASCII)
                                       ? "names are Unicode: keep them as sent (Go strings hold UTF-8 as is)" : nil)
        }
        return user
    }

    /// `GET /api/v1/users/{id}` → 200 with exactly `user`.
    func expectUser(_ user: CheckedUser, why: String) async throws {
        let exchange = try await getExchange(String(user.id))
        let expected = "200 with \(user) (\(why))"
        try exchange.expectStatus(200, meaning: why)
        let got = try CheckedUser.read(try exchange.expectJSON(expected), in: exchange, what: expected)
        if got != user { throw exchange.failure("got \(got)", expected: expected) }
    }

    /// `GET /api/v1/users/{id}` → 404 with a JSON error.
    func expectMissing(_ id: Int, why: String) async throws {
        let exchange = try await getExchange(String(id))
        try exchange.expectStatus(404, meaning: why)
        try Self.expectError(exchange, status: 404)
    }

    /// The contract's error body: JSON `{"error": "<non-empty string>"}`, other members allowed.
    static func expectError(_ exchange: HTTPExchange, status: Int) throws {
        let expected = "\(status) with a JSON body {\"error\": \"<what went wrong>\"}"
        let body = try exchange.expectObject(expected, fields: ["error": "string"])
        if body["error"]?.string?.trimmingCharacters(in: .whitespaces).isEmpty != false {
            throw exchange.failure("the \"error\" message is empty", expected: expected, hint: "say what was wrong, for the client's developer")
        }
    }

    /// Fails unless the exchange got `status` with the JSON error body.
    static func expectRefusal(_ exchange: HTTPExchange, status: Int, meaning: String, hint: String? = nil) throws {
        try expectRefusal(exchange, statuses: [status], meaning: meaning, hint: hint)
    }

    /// Fails unless the exchange got one of `statuses` with the JSON error body: for what the
    /// contract leaves open between them.
    static func expectRefusal(_ exchange: HTTPExchange, statuses: [Int], meaning: String, hint: String? = nil) throws {
        guard statuses.contains(exchange.response.status) else {
            let wanted = statuses.map(String.init).joined(separator: " or ")
            throw exchange.failure("expected status \(wanted), got \(exchange.response.status)", expected: "\(wanted): \(meaning)", hint: hint)
        }
        try expectError(exchange, status: exchange.response.status)
    }
}
