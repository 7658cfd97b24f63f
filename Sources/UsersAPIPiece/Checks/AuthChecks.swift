import Foundation
import Grading

/// `users-auth`: `/api/v1/profile` behind HS256 bearer tokens signed with `$JWT_SECRET`.
/// The checks mint their tokens, valid and forged, with the secret the grader gave the server.
enum AuthChecks {
    static let profile = "/api/v1/profile"

    static func tokens(_ context: CheckContext) throws -> TestTokens {
        guard let secret = context.variables["JWT_SECRET"] else {
            throw CheckFailure("the exercise does not give the server a JWT_SECRET", hint: "list JWT_SECRET under environment in exercise.yaml")
        }
        return TestTokens(secret: secret)
    }

    static func getProfile(_ http: HTTPClient, authorization: String?) async throws -> HTTPExchange {
        var request = HTTPRequest("GET", profile)
        if let authorization { request.headers.append(("Authorization", authorization)) }
        return try await http.exchange(request)
    }

    /// A user of this check's own, created through the API.
    static func someone(_ users: UsersClient, _ sample: inout SampleUsers) async throws -> CheckedUser {
        let person = sample.next()
        return try await users.create(name: person.name, email: person.email)
    }

    /// 401 with the JSON error and `WWW-Authenticate: Bearer…` (RFC 6750), which tells a
    /// client how to authenticate.
    static func expectUnauthorized(_ exchange: HTTPExchange, meaning: String, hint: String? = nil) throws {
        try UsersClient.expectRefusal(exchange, status: 401, meaning: meaning, hint: hint)
        guard exchange.response.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true else {
            throw exchange.failure("the 401 response has no WWW-Authenticate header starting with Bearer",
                                   expected: "401 with WWW-Authenticate: Bearer and a JSON error",
                                   hint: "w.Header().Set(\"WWW-Authenticate\", `Bearer realm=\"users\"`) before w.WriteHeader(401)")
        }
    }

    static let required: [Check] = [
        Check("no-token", "the profile without a token is 401") { context in
            let exchange = try await getProfile(try await context.http(), authorization: nil)
            try expectUnauthorized(exchange, meaning: "no Authorization header",
                                          hint: "wrap the profile handler in a middleware that checks the token first")
        },
        Check("not-bearer", "an Authorization header that is not a bearer JWT is 401") { context in
            let http = try await context.http()
            // The last one holds a genuine token, under the wrong scheme: only "Bearer" is accepted.
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let genuine = try tokens(context).valid(for: try await someone(users, &sample).id)
            for header in ["Token abc", "Bearer", "Bearer not.a.jwt", "Basic YWRhOnNlY3JldA==", "Token \(genuine)"] {
                let exchange = try await getProfile(http, authorization: header)
                try expectUnauthorized(exchange, meaning: "\"\(header)\" is not a valid bearer token",
                                              hint: "scheme, token, _ := strings.Cut(h, \" \"), then strings.EqualFold(scheme, \"Bearer\") and a token of three parts")
            }
        },
    ]

    static let valid: [Check] = [
        Check("profile", "a valid token gets its user's profile", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let token = try tokens(context).valid(for: user.id)
            let exchange = try await getProfile(users.http, authorization: "Bearer \(token)")
            let expected = "200 with \(user), the user named by the token's sub claim"
            try exchange.expectStatus(200, meaning: "the profile of user \(user.id)",
                                      hint: "verify the HS256 signature with JWT_SECRET, check exp, then read sub (a string holding the id)")
            let got = try CheckedUser.read(try exchange.expectJSON(expected), in: exchange, what: expected)
            if got != user { throw exchange.failure("got \(got)", expected: expected) }
        },
        Check("update-profile", "PUT /api/v1/profile updates the token's user", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let changed = sample.next()
            let token = try tokens(context).valid(for: user.id)
            let request = HTTPRequest.json("PUT", profile, CheckedUser.body(name: changed.name, email: changed.email),
                                           headers: [("Authorization", "Bearer \(token)")])
            let exchange = try await users.http.exchange(request)
            let updated = CheckedUser(id: user.id, name: changed.name, email: changed.email)
            try exchange.expectStatus(200, meaning: "the updated profile")
            let got = try CheckedUser.read(try exchange.expectJSON("200 with \(updated)"), in: exchange, what: "200 with \(updated)")
            if got != updated { throw exchange.failure("got \(got)", expected: "200 with \(updated)") }
            try await users.expectUser(updated, why: "the profile is the user, so GET /api/v1/users/{id} shows the update")
        },
        Check("deleted-user", "a valid token for a deleted user is 404") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            try (try await users.deleteExchange(String(user.id))).expectStatus(204, meaning: "the user is deleted")
            let token = try tokens(context).valid(for: user.id)
            let exchange = try await getProfile(users.http, authorization: "Bearer \(token)")
            try UsersClient.expectRefusal(exchange, status: 404, meaning: "the token is genuine but its user no longer exists")
            let changed = sample.next()
            let update = try await users.http.exchange(.json("PUT", profile, CheckedUser.body(name: changed.name, email: changed.email),
                                                             headers: [("Authorization", "Bearer \(token)")]))
            try UsersClient.expectRefusal(update, status: 404, meaning: "the README: PUT /api/v1/profile for a user that no longer exists is 404",
                                          hint: "update only a user that exists: the store's Update answers not found for a deleted id")
            try await users.expectMissing(user.id, why: "a PUT to a deleted user's profile must not bring the user back")
        },
        Check("scheme-case", "the word Bearer is accepted in any letter case") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let token = try tokens(context).valid(for: user.id)
            for scheme in ["bearer", "BEARER"] {
                let exchange = try await getProfile(users.http, authorization: "\(scheme) \(token)")
                try exchange.expectStatus(200, meaning: "the README: the word Bearer in any letter case; this token is valid",
                                          hint: "compare the scheme with strings.EqualFold(scheme, \"Bearer\"), not with ==")
                let got = try CheckedUser.read(try exchange.expectJSON("200 with \(user)"), in: exchange, what: "200 with \(user)")
                if got != user { throw exchange.failure("got \(got)", expected: "200 with \(user)") }
            }
        },
        Check("numeric-sub", "a token whose sub is a JSON number is accepted") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let expires = Int(Date().addingTimeInterval(3600).timeIntervalSince1970)
            let token = try tokens(context).signed(claims: #"{"sub":\#(user.id),"exp":\#(expires)}"#)
            let exchange = try await getProfile(users.http, authorization: "Bearer \(token)")
            try exchange.expectStatus(200, meaning: "the README: sub is the user's id as a string, and a JSON number is accepted too; this token says \"sub\":\(user.id)",
                                      hint: "decode sub into json.RawMessage (or any) and accept both \"7\" and 7")
            let got = try CheckedUser.read(try exchange.expectJSON("200 with \(user)"), in: exchange, what: "200 with \(user)")
            if got != user { throw exchange.failure("got \(got)", expected: "200 with \(user)") }
        },
        Check("update-profile-errors", "PUT /api/v1/profile refuses a bad body (400) and another user's email (409)") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let other = try await someone(users, &sample)
            let token = try tokens(context).valid(for: user.id)
            func put(_ body: String) async throws -> HTTPExchange {
                try await users.http.exchange(.json("PUT", profile, body, headers: [("Authorization", "Bearer \(token)")]))
            }
            let invalid = try await put(CheckedUser.body(name: "", email: "not-an-email"))
            try UsersClient.expectRefusal(invalid, status: 400, meaning: "the README: PUT /api/v1/profile validates like PUT /api/v1/users/{id}",
                                          hint: "decode and validate the body with the same function as the users routes")
            let taken = try await put(CheckedUser.body(name: user.name, email: SampleUsers.recased(other.email)))
            try UsersClient.expectRefusal(taken, status: 409, meaning: "\(other.email) belongs to another user, in any letter case",
                                          hint: "update through the same store method as PUT /api/v1/users/{id}, which checks the email")
            try await users.expectUser(user, why: "refused profile updates change nothing")
        },
    ]

    /// One forged token per check: each must be refused on its own.
    static func forged(_ id: String, _ name: String, meaning: String, hint: String,
                       _ make: @escaping @Sendable (TestTokens, Int, Int) -> String) -> Check {
        Check(id, name) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let victim = try await someone(users, &sample)
            let token = make(try tokens(context), user.id, victim.id)
            let exchange = try await getProfile(users.http, authorization: "Bearer \(token)")
            try expectUnauthorized(exchange, meaning: meaning, hint: hint)
        }
    }

    static let forgedTokens: [Check] = [
        forged("no-expiry", "a token without exp is 401", meaning: "the README: exp is present and in the future; without it a token is valid forever",
               hint: "require exp: a missing exp is as bad as an expired one") { tokens, id, _ in
            tokens.signed(claims: #"{"sub":"\#(id)"}"#)
        },
        forged("expired", "a token that expired an hour ago is 401", meaning: "the README: exp is in the future; this token's exp is an hour ago",
               hint: "compare exp (seconds since 1970) with time.Now().Unix()") { tokens, id, _ in tokens.expired(for: id) },
        forged("wrong-key", "a token signed with another secret is 401", meaning: "the signature was made with another key",
               hint: "recompute HMAC-SHA256 over header.payload with JWT_SECRET and compare with hmac.Equal") { tokens, id, _ in tokens.wrongKey(for: id) },
        forged("alg-none", "an unsigned alg:none token is 401", meaning: "a token with alg none proves nothing",
               hint: "accept only alg HS256; with golang-jwt, pass jwt.WithValidMethods([]string{\"HS256\"})") { tokens, id, _ in tokens.unsigned(for: id) },
        forged("tampered", "a token whose claims were changed after signing is 401", meaning: "the payload no longer matches the signature",
               hint: "the signature covers header and payload: verify it before trusting any claim") { tokens, id, other in
            tokens.tampered(for: id, claiming: other)
        },
        forged("alg-hs512", "a token whose header says HS512 is 401", meaning: "the README: alg is exactly HS256; HS512 or anything else is refused",
               hint: "refuse every alg but HS256 (header.Alg != \"HS256\"), not only \"none\"") { tokens, id, _ in
            tokens.signed(claims: TestTokens.claims(subject: id, expires: Date().addingTimeInterval(3600)), header: #"{"alg":"HS512","typ":"JWT"}"#)
        },
        forged("not-yet-valid", "a token whose nbf is an hour ahead is 401", meaning: "the README: nbf, if present, is not in the future; this one is an hour ahead",
               hint: "when nbf is present, refuse the token while time.Now().Unix() < nbf") { tokens, id, _ in
            let now = Int(Date().timeIntervalSince1970)
            return tokens.signed(claims: #"{"sub":"\#(id)","nbf":\#(now + 3600),"exp":\#(now + 7200)}"#)
        },
        forged("sub-not-id", "a token whose sub is not a user id is 401", meaning: "the README: sub holds a user id; \"ada\" is not one",
               hint: "a sub that strconv.Atoi cannot read makes the token invalid: 401, not a lookup of user 0") { tokens, _, _ in
            tokens.signed(claims: #"{"sub":"ada","exp":\#(Int(Date().addingTimeInterval(3600).timeIntervalSince1970))}"#)
        },
        Check("forged-put", "PUT /api/v1/profile without a token, or with a forged one, is 401 and changes nothing") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let user = try await someone(users, &sample)
            let changed = sample.next()
            let body = CheckedUser.body(name: changed.name, email: changed.email)
            let attempts: [(authorization: String?, meaning: String)] = [
                (nil, "no Authorization header"),
                ("Bearer \(try tokens(context).wrongKey(for: user.id))", "a token signed with another secret"),
            ]
            for (authorization, meaning) in attempts {
                var request = HTTPRequest.json("PUT", profile, body)
                if let authorization { request.headers.append(("Authorization", authorization)) }
                let exchange = try await users.http.exchange(request)
                try expectUnauthorized(exchange, meaning: "the README: PUT /api/v1/profile needs a valid token like GET; this request has \(meaning)",
                                       hint: "verify the token (signature first) for PUT as for GET: one middleware in front of both")
            }
            try await users.expectUser(user, why: "refused profile updates change nothing")
        },
    ]
}
