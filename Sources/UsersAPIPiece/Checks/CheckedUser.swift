import Grading

/// A user as the checks read it from a response: `{"id": positive int, "name", "email"}`,
/// other fields allowed.
struct CheckedUser: Hashable, Sendable, CustomStringConvertible {
    var id: Int
    var name: String
    var email: String

    var description: String { "{\"id\":\(id),\"name\":\(JSONValue.quote(name)),\"email\":\(JSONValue.quote(email))}" }

    /// The body a create or update sends for this name and email.
    static func body(name: String, email: String) -> String {
        "{\"name\":\(JSONValue.quote(name)),\"email\":\(JSONValue.quote(email))}"
    }

    /// Reads a user out of `value`, or says what is wrong with it in terms of `exchange`.
    static func read(_ value: JSONValue, in exchange: HTTPExchange, what: String) throws -> CheckedUser {
        guard case .object = value else {
            throw exchange.failure("expected a user object, got \(value.kind == "array" ? "an" : "a") \(value.kind)", expected: what)
        }
        guard let idValue = value["id"] else {
            throw exchange.failure("the user has no \"id\"", expected: what, hint: value.caseHint(for: "id"))
        }
        guard let id = idValue.int else {
            throw exchange.failure("the user's \"id\" is \(idValue), not a whole number", expected: what,
                                   hint: idValue.kind == "string" ? "send the id as a JSON number: an int field in Go, not a string" : nil)
        }
        guard id > 0 else { throw exchange.failure("the user's \"id\" is \(id); ids are positive", expected: what) }
        guard let name = value["name"]?.string else {
            throw exchange.failure("the user has no string \"name\"", expected: what, hint: value.caseHint(for: "name"))
        }
        guard let email = value["email"]?.string else {
            throw exchange.failure("the user has no string \"email\"", expected: what, hint: value.caseHint(for: "email"))
        }
        return CheckedUser(id: id, name: name, email: email)
    }
}
