/// The users API's rules for a user's fields, said again for gRPC: the same inputs are
/// valid here as in `users-api`, and a refused one gets INVALID_ARGUMENT with the reason.
///
/// * `name`: 1 to 100 Unicode scalars, no control characters, not spaces only.
/// * `email`: at most 254 ASCII characters, `local@domain`, where `local` is 1–64 of
///   `A-Z a-z 0-9 . _ % + -` and `domain` is two or more dot-separated labels of
///   `A-Z a-z 0-9 -`. Kept as sent; two emails that differ only in ASCII letter case are the
///   same email.
enum UserRules {
    static let maximumNameLength = 100
    static let maximumEmailLength = 254

    /// The key that makes two emails the same address.
    static func emailKey(_ email: String) -> String {
        String(decoding: email.utf8.map { (0x41...0x5a).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Why `name` breaks the rules, or nil.
    static func nameProblem(_ name: String) -> String? {
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
    static func emailProblem(_ email: String) -> String? {
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
