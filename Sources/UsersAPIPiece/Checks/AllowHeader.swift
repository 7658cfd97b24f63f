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

    /// What is wrong with this header on a 405 for `refused` on a path serving `served`, or
    /// nil when nothing is.
    func problem(served: [String], refused: String) -> String? {
        if methods.isEmpty { return "the 405 response has no Allow header" }
        let missing = served.filter { !methods.contains($0) }
        if !missing.isEmpty {
            return "the Allow header (\(shown)) does not name \(missing.joined(separator: " or ")), which this path serves"
        }
        if methods.contains(refused.uppercased()) {
            return "the Allow header (\(shown)) names \(refused), the method this 405 refuses"
        }
        return nil
    }

    /// Fails unless `exchange`, a 405 for `refused`, names every method of `served` and not
    /// `refused`.
    static func expect(_ exchange: HTTPExchange, served: [String], refused: String, hint: String) throws {
        let allow = AllowHeader(exchange.response)
        guard let problem = allow.problem(served: served, refused: refused) else { return }
        var failure = exchange.failure(problem, expected: "405 with Allow naming \(served.joined(separator: ", ")) (any order; HEAD or OPTIONS may be added)",
                                       hint: allow.methods.contains(refused.uppercased()) ? "Allow lists what would work here, not what was sent" : hint)
        // No Allow at all on a 405 is nearly always one set after WriteHeader: HINTS.md can
        // say so under `## STAGE/CHECK/no-allow`.
        if allow.methods.isEmpty { failure.tag = missingTag }
        throw failure
    }

    /// The tag of a 405 failure whose response had no `Allow` header.
    static let missingTag = "no-allow"
}
