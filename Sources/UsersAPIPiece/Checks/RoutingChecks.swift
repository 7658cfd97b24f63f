import Grading

/// The two rows of users-api's route table that name no route: any other path is 404, and
/// another method on a known path is 405 with an `Allow` header. The requests are chosen so
/// that every router agrees on what they are (ServeMux in Go 1.19 or 1.22, gin with
/// `HandleMethodNotAllowed`, echo, chi): no trailing slash, whose handling routers differ on
/// (a redirect, the collection, a 404), and no `HEAD` or `OPTIONS`, which some routers answer
/// themselves.
enum RoutingChecks {
    /// Paths that are no route of the API; the last is below a real user, so a server that
    /// reads only the first segment after `/api/v1/users/` answers 200 there.
    static func unknownPaths(below id: Int) -> [(path: String, hint: String)] {
        let catchAll = "a catch-all handler for \"/\" that answers 404 with the JSON error (ServeMux's own 404 is plain text)"
        return [
            ("/nope", catchAll),
            ("/api/v1/nope", catchAll),
            ("/api/v1/users/\(id)/posts",
             "the id is the one segment after /api/v1/users/: a rest with a \"/\" in it (\"\(id)/posts\") has no route, 404, before any id parsing"),
        ]
    }

    static let unknownPath = Check("unknown-path", "any other path, /api/v1/users/{id}/posts among them, is 404 with a JSON error") { context in
        let users = try await UsersClient(context)
        var sample = SampleUsers(context)
        let person = sample.next()
        let user = try await users.create(name: person.name, email: person.email)
        for (path, hint) in unknownPaths(below: user.id) {
            let exchange = try await users.http.exchange(HTTPRequest("GET", path))
            try UsersClient.expectRefusal(exchange, status: 404, meaning: "the README: any other path is 404; \(path) is no route of the API",
                                          hint: hint)
        }
    }

    /// A method each kind of path does not serve, and the methods it does. PATCH and POST
    /// because nothing in the contract serves them there; a server may serve more methods
    /// than the contract lists, but not these.
    static func wrongMethods(on id: Int) -> [(method: String, path: String, served: [String])] {
        [
            ("PATCH", UsersClient.collection, ["GET", "POST"]),
            ("POST", "\(UsersClient.collection)/\(id)", ["GET", "PUT", "DELETE"]),
        ]
    }

    static let wrongMethod = Check("wrong-method", "another method on a known path is 405 with an Allow header naming the methods that work") { context in
        let users = try await UsersClient(context)
        var sample = SampleUsers(context)
        let person = sample.next(), other = sample.next()
        let user = try await users.create(name: person.name, email: person.email)
        for (method, path, served) in wrongMethods(on: user.id) {
            let exchange = try await users.http.exchange(.json(method, path, CheckedUser.body(name: other.name, email: other.email)))
            let hint = "switch on r.Method; in the default case set the Allow header (\"\(served.joined(separator: ", "))\") before w.WriteHeader(http.StatusMethodNotAllowed)"
            try UsersClient.expectRefusal(exchange, status: 405,
                                          meaning: "the README: another method on a known path is 405; \(path) serves \(served.joined(separator: ", ")), not \(method)",
                                          hint: hint)
            try AllowHeader.expect(exchange, served: served, refused: method, hint: hint)
        }
        try await users.expectUser(user, why: "requests refused with 405 change nothing")
    }
}
