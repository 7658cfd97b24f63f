import Foundation
import Hummingbird
import HummingbirdTesting
import UsersAPIPiece

/// The users API contract as scenarios over one client, each starting from an empty server.
/// They report problems instead of failing the test, so the same scenario proves the
/// reference right (no problems) and each flaw real (some problem).
enum ContractScenarios {
    typealias Scenario = @Sendable (ContractClient) async throws -> [String]

    static let secret = Array("contract-test-secret".utf8)

    static let all: [String: Scenario] = [
        "health": health,
        "create answers 201 with the user": createAnswers201,
        "list is ordered by id": listIsOrdered,
        "invalid input is 400 with a JSON error": invalidInputIs400,
        "duplicate email is 409 ignoring case": duplicateEmailIs409,
        "get, put and delete one user": getPutDelete,
        "ids are never reused after a delete": idsNeverReused,
        "concurrent creates get distinct ids": concurrentCreates,
        "odd bodies get a 4xx JSON error": oddBodies,
        "profile needs a valid HS256 token": profile,
        "wrong methods are 405 and unknown paths 404": methodsAndPaths,
        "valid input at the edges is 201": validEdges,
    ]

    /// A 100-character name of 300 bytes, an email with `+`, and a body with an `id` and
    /// another member, all accepted (the id ignored).
    static let validEdges: Scenario = { client in
        var findings = Findings()
        let long = String(repeating: "渡辺美咲", count: 25)
        let named = try await client.create(long, "misaki@example.com")
        findings.expect(named.status == 201 && named.object?["name"] as? String == long, "a 100-character, 300-byte name: \(named)")
        let plus = try await client.create("Ada Lovelace", "ada.lovelace+7@example.com")
        findings.expect(plus.status == 201, "an email with +: \(plus)")
        let extra = try await client.send(.post, "/api/v1/users",
                                          json: ["id": named.id ?? 1, "name": "Grace Hopper", "email": "grace@example.com", "role": "admin"])
        findings.expect(extra.status == 201 && extra.id != nil && extra.id != named.id, "a body with an id and a role: \(extra)")
        return findings.problems
    }

    static let health: Scenario = { client in
        var findings = Findings()
        let reply = try await client.send(.get, "/healthz")
        findings.expect(reply.status == 200 && reply.isJSON, "GET /healthz: \(reply)")
        return findings.problems
    }

    static let createAnswers201: Scenario = { client in
        var findings = Findings()
        let reply = try await client.create("Ada Lovelace", "ada@example.com")
        findings.expect(reply.status == 201, "POST should be 201: \(reply)")
        findings.expect(reply.isJSON, "POST should answer application/json: \(reply)")
        findings.expect((reply.id ?? 0) > 0, "the new user should have a positive id: \(reply)")
        findings.expect(reply.object?["name"] as? String == "Ada Lovelace" && reply.object?["email"] as? String == "ada@example.com",
                        "the new user should echo name and email: \(reply)")
        if let id = reply.id {
            let fetched = try await client.send(.get, "/api/v1/users/\(id)")
            findings.expect(fetched.status == 200 && fetched.id == id, "GET the new user: \(fetched)")
        }
        return findings.problems
    }

    static let listIsOrdered: Scenario = { client in
        var findings = Findings()
        for index in 0..<12 {
            let reply = try await client.create("User \(index)", "user\(index)@example.com")
            findings.expect(reply.status == 201, "create \(index): \(reply)")
        }
        let list = try await client.send(.get, "/api/v1/users")
        let ids = ((list.object?["users"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        findings.expect(list.status == 200 && list.isJSON, "GET /api/v1/users: \(list)")
        findings.expect(ids.count == 12, "the list should hold the 12 users: \(list)")
        findings.expect(ids == ids.sorted(), "the list should be ordered by id, got ids \(ids)")
        return findings.problems
    }

    static let invalidInputIs400: Scenario = { client in
        var findings = Findings()
        let bodies: [(String, String)] = [
            ("not JSON", #"{"name": "Ada", "email": "#),
            ("empty name", #"{"name": "", "email": "a@example.com"}"#),
            ("blank name", #"{"name": "   ", "email": "a@example.com"}"#),
            ("control character in name", #"{"name": "A\u0000da", "email": "a@example.com"}"#),
            ("name too long", #"{"name": "\#(String(repeating: "x", count: 101))", "email": "a@example.com"}"#),
            ("name a number", #"{"name": 5, "email": "a@example.com"}"#),
            ("name missing", #"{"email": "a@example.com"}"#),
            ("name null", #"{"name": null, "email": "a@example.com"}"#),
            ("email without @", #"{"name": "Ada", "email": "ada.example.com"}"#),
            ("email without a dot in the domain", #"{"name": "Ada", "email": "ada@localhost"}"#),
            ("email with two @", #"{"name": "Ada", "email": "a@b@example.com"}"#),
            ("email with a space", #"{"name": "Ada", "email": "a da@example.com"}"#),
            ("email missing", #"{"name": "Ada"}"#),
            ("an array", #"[{"name": "Ada", "email": "a@example.com"}]"#),
            ("a string", #""Ada""#),
            ("null", "null"),
        ]
        for (what, body) in bodies {
            let reply = try await client.send(.post, "/api/v1/users", body: Array(body.utf8))
            findings.expect(reply.status == 400 && reply.isJSONClientError, "POST with \(what) should be 400 {\"error\":…}: \(reply)")
        }
        let list = try await client.send(.get, "/api/v1/users")
        findings.expect(list.text == #"{"users":[]}"#, "no invalid user should be stored: \(list)")
        return findings.problems
    }

    static let duplicateEmailIs409: Scenario = { client in
        var findings = Findings()
        let first = try await client.create("Grace", "grace@example.com")
        findings.expect(first.status == 201, "first create: \(first)")
        for email in ["grace@example.com", "Grace@Example.COM"] {
            let again = try await client.create("Grace Again", email)
            findings.expect(again.status == 409 && again.isJSONClientError, "a second \(email) should be 409: \(again)")
        }
        let other = try await client.create("Alan", "alan@example.com")
        if let id = other.id {
            let taken = try await client.send(.put, "/api/v1/users/\(id)", json: ["name": "Alan", "email": "GRACE@example.com"])
            findings.expect(taken.status == 409 && taken.isJSONClientError, "PUT to another user's email should be 409: \(taken)")
            let ownCase = try await client.send(.put, "/api/v1/users/\(id)", json: ["name": "Alan", "email": "ALAN@example.com"])
            findings.expect(ownCase.status == 200, "PUT to the user's own email in capitals should be 200: \(ownCase)")
        }
        return findings.problems
    }

    static let getPutDelete: Scenario = { client in
        var findings = Findings()
        let created = try await client.create("Linus", "linus@example.com")
        guard let id = created.id else { return ["create: \(created)"] }
        let got = try await client.send(.get, "/api/v1/users/\(id)")
        findings.expect(got.status == 200 && got.object?["email"] as? String == "linus@example.com", "GET: \(got)")
        let put = try await client.send(.put, "/api/v1/users/\(id)", json: ["name": "Linus T", "email": "lt@example.com"])
        findings.expect(put.status == 200 && put.id == id && put.object?["name"] as? String == "Linus T", "PUT: \(put)")
        let after = try await client.send(.get, "/api/v1/users/\(id)")
        findings.expect(after.object?["email"] as? String == "lt@example.com", "GET after PUT: \(after)")
        let badPut = try await client.send(.put, "/api/v1/users/\(id)", json: ["name": "Linus"])
        findings.expect(badPut.status == 400 && badPut.isJSONClientError, "PUT without email: \(badPut)")
        let deleted = try await client.send(.delete, "/api/v1/users/\(id)")
        findings.expect(deleted.status == 204 && deleted.text.isEmpty, "DELETE: \(deleted)")
        for (method, body) in [(HTTPRequest.Method.get, nil), (.put, Array(#"{"name":"X","email":"x@example.com"}"#.utf8)), (.delete, nil)] as [(HTTPRequest.Method, [UInt8]?)] {
            let gone = try await client.send(method, "/api/v1/users/\(id)", body: body)
            findings.expect(gone.status == 404 && gone.isJSONClientError, "\(method) a deleted user should be 404: \(gone)")
            let unknown = try await client.send(method, "/api/v1/users/987654", body: body)
            findings.expect(unknown.status == 404 && unknown.isJSONClientError, "\(method) an unknown id should be 404: \(unknown)")
            for bad in ["abc", "-1", "1.5", "%EF%BC%91", "99999999999999999999999"] {
                let reply = try await client.send(method, "/api/v1/users/\(bad)", body: body)
                findings.expect(reply.status == 400 && reply.isJSONClientError, "\(method) /api/v1/users/\(bad) should be 400: \(reply)")
            }
        }
        return findings.problems
    }

    static let idsNeverReused: Scenario = { client in
        var findings = Findings()
        var ids: [Int] = []
        for index in 0..<3 { ids.append(try await client.create("U\(index)", "u\(index)@example.com").id ?? 0) }
        for id in [ids[2], ids[0]] { _ = try await client.send(.delete, "/api/v1/users/\(id)") }
        let next = try await client.create("U3", "u3@example.com")
        findings.expect(next.status == 201, "create after deletes: \(next)")
        findings.expect((next.id ?? 0) > ids.max()!, "after deleting \(ids[2]) and \(ids[0]) of \(ids), a new id should be above all of them: \(next)")
        let list = try await client.send(.get, "/api/v1/users")
        findings.expect((list.object?["users"] as? [Any])?.count == 2, "two users should remain: \(list)")
        return findings.problems
    }

    static let concurrentCreates: Scenario = { client in
        var findings = Findings()
        let count = 200
        let replies = try await ConcurrentRequests.createUsers(count: count, through: client)
        findings.expect(replies.allSatisfy { $0.status == 201 }, "every create should be 201: \(replies.filter { $0.status != 201 }.prefix(3))")
        let ids = replies.compactMap(\.id)
        findings.expect(Set(ids).count == count, "\(count) creates should get \(count) distinct ids, got \(Set(ids).count)")
        let list = try await client.send(.get, "/api/v1/users")
        let listed = ((list.object?["users"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
        findings.expect(listed.count == count && Set(listed) == Set(ids), "the list should hold all \(count) users, holds \(listed.count)")
        return findings.problems
    }

    static let oddBodies: Scenario = { client in
        var findings = Findings()
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024)
        let tooBig = try await client.send(.post, "/api/v1/users", body: big)
        findings.expect(tooBig.status == 413 && tooBig.isJSONClientError, "a 10 MB body should be 413: \(tooBig)")
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        let nested = try await client.send(.post, "/api/v1/users", body: deep)
        findings.expect(nested.status == 400 && nested.isJSONClientError, "deep nesting should be 400: \(nested)")
        let textPlain = try await client.send(.post, "/api/v1/users", body: Array(#"{"name":"A","email":"a@example.com"}"#.utf8), contentType: "text/plain")
        findings.expect(textPlain.status == 415 && textPlain.isJSONClientError, "text/plain should be 415: \(textPlain)")
        let form = try await client.send(.post, "/api/v1/users", body: Array("name=A&email=a@example.com".utf8), contentType: "application/x-www-form-urlencoded")
        findings.expect(form.status == 415 && form.isJSONClientError, "a form should be 415: \(form)")
        let invalidUTF8 = try await client.send(.post, "/api/v1/users", body: [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])
        findings.expect(invalidUTF8.status == 400 && invalidUTF8.isJSONClientError, "invalid UTF-8 should be 400: \(invalidUTF8)")
        let empty = try await client.send(.post, "/api/v1/users", body: [])
        findings.expect(empty.status == 400 && empty.isJSONClientError, "an empty body should be 400: \(empty)")
        let charset = try await client.send(.post, "/api/v1/users", body: Array(#"{"name":"Chars","email":"cs@example.com"}"#.utf8),
                                            contentType: "application/json; charset=utf-8")
        findings.expect(charset.status == 201, "application/json; charset=utf-8 is JSON: \(charset)")
        for name in ["Zoë Ørsted", "渡辺 あゆみ", "Ἀριστοτέλης", "🦊 Fox", "\u{202E}rtl", "e\u{301}"] {
            let reply = try await client.create(name, "u\(abs(name.hashValue % 1_000_000))@example.com")
            findings.expect(reply.status == 201 && reply.object?["name"] as? String == name, "unicode name \(name) should round-trip: \(reply)")
            if let id = reply.id {
                let got = try await client.send(.get, "/api/v1/users/\(id)")
                findings.expect(got.object?["name"] as? String == name, "GET should return \(name) unchanged: \(got)")
            }
        }
        return findings.problems
    }

    static let profile: Scenario = { client in
        var findings = Findings()
        let created = try await client.create("Margaret", "margaret@example.com")
        guard let id = created.id else { return ["create: \(created)"] }
        let hour = Date().timeIntervalSince1970 + 3600
        let good = try HS256Token.sign(claims: ["sub": "\(id)", "exp": hour], secret: secret)
        let numericSub = try HS256Token.sign(claims: ["sub": id, "exp": hour], secret: secret)
        let expired = try HS256Token.sign(claims: ["sub": "\(id)", "exp": Date().timeIntervalSince1970 - 10], secret: secret)
        let otherKey = try HS256Token.sign(claims: ["sub": "\(id)", "exp": hour], secret: Array("another".utf8))
        let parts = good.split(separator: ".")
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let algNone = "\(noneHeader).\(parts[1])."
        let tampered = "\(parts[0]).\(parts[1].dropLast())A.\(parts[2])"
        func bearer(_ token: String) -> HTTPFields { var fields = HTTPFields(); fields[.authorization] = "Bearer \(token)"; return fields }
        func raw(_ value: String) -> HTTPFields { var fields = HTTPFields(); fields[.authorization] = value; return fields }

        let refused: [(String, HTTPFields)] = [
            ("no Authorization header", [:]), ("a token without Bearer", raw(good)), ("Basic auth", raw("Basic dXNlcjpwYXNz")),
            ("garbage", bearer("not.a.token")), ("alg none", bearer(algNone)), ("another key", bearer(otherKey)),
            ("an expired token", bearer(expired)), ("a tampered payload", bearer(tampered)), ("an empty token", raw("Bearer ")),
        ]
        for (what, headers) in refused {
            let reply = try await client.send(.get, "/api/v1/profile", headers: headers)
            findings.expect(reply.status == 401 && reply.isJSONClientError, "GET /api/v1/profile with \(what) should be 401: \(reply)")
            findings.expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "401 should carry WWW-Authenticate: Bearer: \(what)")
            let put = try await client.send(.put, "/api/v1/profile", json: ["name": "M", "email": "m@example.com"], headers: headers)
            findings.expect(put.status == 401, "PUT /api/v1/profile with \(what) should be 401: \(put)")
        }
        for token in [good, numericSub] {
            let reply = try await client.send(.get, "/api/v1/profile", headers: bearer(token))
            findings.expect(reply.status == 200 && reply.id == id, "GET /api/v1/profile with a valid token: \(reply)")
        }
        let lower = try await client.send(.get, "/api/v1/profile", headers: raw("bearer \(good)"))
        findings.expect(lower.status == 200, "the Bearer scheme is case-insensitive: \(lower)")
        let updated = try await client.send(.put, "/api/v1/profile", json: ["name": "Margaret H", "email": "mh@example.com"], headers: bearer(good))
        findings.expect(updated.status == 200 && updated.id == id && updated.object?["email"] as? String == "mh@example.com", "PUT profile: \(updated)")
        let invalid = try await client.send(.put, "/api/v1/profile", json: ["name": "", "email": "mh@example.com"], headers: bearer(good))
        findings.expect(invalid.status == 400 && invalid.isJSONClientError, "PUT profile with an empty name: \(invalid)")
        _ = try await client.send(.delete, "/api/v1/users/\(id)")
        let orphan = try await client.send(.get, "/api/v1/profile", headers: bearer(good))
        findings.expect(orphan.status == 404 && orphan.isJSONClientError, "a valid token for a deleted user should be 404: \(orphan)")
        return findings.problems
    }

    static let methodsAndPaths: Scenario = { client in
        var findings = Findings()
        for (method, path) in [(HTTPRequest.Method.patch, "/api/v1/users"), (.delete, "/api/v1/users"), (.post, "/api/v1/users/1"),
                               (.patch, "/api/v1/users/1"), (.delete, "/api/v1/profile"), (.post, "/healthz"),
                               (HTTPRequest.Method("QUERY")!, "/api/v1/users"), (.trace, "/api/v1/users/abc")] {
            let reply = try await client.send(method, path)
            findings.expect(reply.status == 405 && reply.isJSONClientError && reply.headers[.allow] != nil, "\(method) \(path) should be 405 with Allow: \(reply)")
        }
        for path in ["/", "/api/v1", "/api/v1/users/1/extra", "/api/v2/users"] {
            let reply = try await client.send(.get, path)
            findings.expect(reply.status == 404 && reply.isJSONClientError, "GET \(path) should be 404 JSON: \(reply)")
        }
        return findings.problems
    }
}
