import Grading

/// The methods a 405 response's `Allow` header names. Any reasonable server passes: the
/// methods in any order and letter case, on one line or several, with or without `HEAD` and
/// `OPTIONS` (Go 1.22's ServeMux adds `HEAD` for a `GET` route, echo adds `OPTIONS`).
/// What fails is no `Allow` at all, a method the path serves missing from it, or the very
/// method just refused listed as allowed.
struct AllowHeader {
    let methods: Set<String>
    /// The header as it came, for messages: `Allow: GET, POST` or `(none)`.
    let shown: String

    init(_ response: HTTPResponse) {
        let lines = response.headers.filter { $0.name.caseInsensitiveCompare("Allow") == .orderedSame }
        methods = Set(lines.flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty })
        shown = lines.isEmpty ? "no Allow header" : lines.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
    }

    /// Fails unless `exchange`, a 405 for `refused`, names every method of `served` and not
    /// `refused`.
    static func expect(_ exchange: HTTPExchange, served: [String], refused: String, hint: String) throws {
        let allow = AllowHeader(exchange.response)
        let expected = "405 with Allow naming \(served.joined(separator: ", ")) (any order; HEAD or OPTIONS may be added)"
        if allow.methods.isEmpty {
            throw exchange.failure("the 405 response has no Allow header", expected: expected, hint: hint)
        }
        let missing = served.filter { !allow.methods.contains($0) }
        if !missing.isEmpty {
            throw exchange.failure("the Allow header (\(allow.shown)) does not name \(missing.joined(separator: " or ")), which this path serves",
                                   expected: expected, hint: hint)
        }
        if allow.methods.contains(refused.uppercased()) {
            throw exchange.failure("the Allow header (\(allow.shown)) names \(refused), the method this 405 refuses",
                                   expected: expected, hint: "Allow lists what would work here, not what was sent")
        }
    }
}
