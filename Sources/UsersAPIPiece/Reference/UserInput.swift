import Foundation

/// A validated `{"name":…,"email":…}` body of `POST /api/v1/users` and of `PUT` on a user
/// or the profile (a `PUT` replaces both fields). Other members of the object are ignored.
///
/// The rules, which the contract leaves to the reference and `openapi.yaml` states the same way:
/// * `name`: a string of 1 to 100 Unicode scalars, with no control characters (U+0000–U+001F,
///   U+007F–U+009F), not made of spaces only. Any script is welcome ("Zoë", "渡辺").
/// * `email`: a string of at most 254 ASCII characters, `local@domain`, where `local` is 1–64
///   of `A-Z a-z 0-9 . _ % + -` and `domain` is two or more dot-separated labels of
///   `A-Z a-z 0-9 -`. Kept as sent; compared case-insensitively (ASCII case folding, exact
///   for this alphabet) for the duplicate check.
public struct UserInput: Equatable, Sendable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public static let maximumNameLength = 100
    public static let maximumEmailLength = 254

    /// The key that makes two emails the same address: ASCII lowercase.
    public static func emailKey(_ email: String) -> String {
        email.lowercased()
    }

    /// Parses and validates a request body; the error's message says which rule failed.
    static func parse(_ body: [UInt8]) throws(APIError) -> UserInput {
        let object = try JSONBody.object(body)
        let input = UserInput(name: try string(object, "name"), email: try string(object, "email"))
        if let problem = nameProblem(input.name) ?? emailProblem(input.email) {
            throw APIError(.badRequest, problem)
        }
        return input
    }

    private static func string(_ object: [String: Any], _ key: String) throws(APIError) -> String {
        guard let value = object[key], !(value is NSNull) else { throw APIError(.badRequest, "\(key) is required") }
        guard let text = value as? String else { throw APIError(.badRequest, "\(key) must be a string") }
        return text
    }

    /// Why `name` breaks the rules, or nil.
    public static func nameProblem(_ name: String) -> String? {
        let scalars = name.unicodeScalars
        if scalars.isEmpty { return "name must not be empty" }
        if scalars.count > maximumNameLength { return "name must be at most \(maximumNameLength) characters" }
        if scalars.contains(where: { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }) {
            return "name must not contain control characters"
        }
        if scalars.allSatisfy({ $0 == " " }) { return "name must not be blank" }
        return nil
    }

    /// Why `email` is not an address by the rule above, or nil.
    public static func emailProblem(_ email: String) -> String? {
        let invalid = "email must be an address like name@example.com"
        let bytes = Array(email.utf8)
        guard bytes.count <= maximumEmailLength else { return "email must be at most \(maximumEmailLength) characters" }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return invalid }
        let local = parts[0], domain = parts[1]
        guard (1...64).contains(local.count), local.allSatisfy(isLocalByte) else { return invalid }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLabelByte) }) else { return invalid }
        return nil
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isLocalByte(_ byte: UInt8) -> Bool {
        isLabelByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+")
    }
}
