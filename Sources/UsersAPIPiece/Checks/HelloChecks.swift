import Grading

/// `hello-users`: the smallest server, `GET /users` with a fixed list.
enum HelloChecks {
    static let expectedBody = #"{"users":[{"id":1,"name":"Ada Lovelace","email":"ada@example.com"},{"id":2,"name":"Grace Hopper","email":"grace@example.com"}]}"#

    static let listen: [Check] = [
        Check("answers", "GET /users answers 200") { context in
            let http = try await context.http()
            let exchange = try await http.exchange(HTTPRequest("GET", "/users"))
            do {
                try exchange.expectStatus(200, meaning: "the list of users", hint: listenHint(exchange.response.status))
            } catch var failure as CheckFailure {
                // It answered, so it listens: the hints are about the handler.
                failure.tag = answeredNot200
                throw failure
            }
        },
    ]

    /// What to do about the status `GET /users` got. The server listens (it answered): the
    /// starter already registers `/users` and listens on `$PORT`, so the hint is about the
    /// handler, not the lines the learner already has.
    static func listenHint(_ status: Int) -> String {
        switch status {
        case 501: "501 is what the starter's notImplemented answers: make listUsers answer 200 (writeJSON(w, http.StatusOK, …)) instead of calling notImplemented"
        case 404: "nothing answers /users: register its handler with http.HandleFunc(\"/users\", listUsers) before ListenAndServe"
        default: "the handler registered for \"/users\" must answer GET with status 200"
        }
    }

    static let json: [Check] = [
        Check("fixed-list", "GET /users returns the two users as JSON", weight: 2) { context in
            let http = try await context.http()
            let exchange = try await http.exchange(HTTPRequest("GET", "/users"))
            try exchange.expectStatus(200, meaning: "the list of users")
            let body = try exchange.expectJSON(expectedBody)
            let expected = try JSONValue(parsing: expectedBody)
            // The README: "extra fields are ignored"; key order and spaces do not matter.
            if !body.includes(expected) {
                let hint = body["users"]?.array?.first?.keys.contains("Name") == true || body["Users"] != nil
                    ? "JSON names are case-sensitive: tag the struct fields, e.g. `json:\"name\"`"
                    : "key order, spaces and extra fields do not matter; names, values, types and the order of the users do"
                throw exchange.failure("the body differs from the expected list", expected: expectedBody + " (extra fields allowed)", hint: hint)
            }
        },
    ]

    /// The tag of an answer to `GET /users` that is not 200 (HINTS.md: `## hello-listen/answers/not-200`).
    static let answeredNot200 = "not-200"

    static let routes: [Check] = [
        Check("not-found", "an unknown path is 404 with a JSON error") { context in
            let http = try await context.http()
            let exchange = try await http.exchange(HTTPRequest("GET", "/nope"))
            try UsersClient.expectRefusal(exchange, status: 404, meaning: "no such resource",
                                          hint: "the pattern \"/\" matches every path: register \"/users\" exactly and answer 404 elsewhere")
        },
        Check("method-not-allowed", "POST /users is 405 with Allow: GET") { context in
            let http = try await context.http()
            let exchange = try await http.exchange(.json("POST", "/users", #"{"name":"Alan Turing"}"#))
            try UsersClient.expectRefusal(exchange, status: 405, meaning: "/users only serves GET",
                                          hint: "check r.Method in the handler; set the Allow header before w.WriteHeader")
            try AllowHeader.expect(exchange, served: ["GET"], refused: "POST", hint: "w.Header().Set(\"Allow\", http.MethodGet) before w.WriteHeader")
        },
    ]
}
