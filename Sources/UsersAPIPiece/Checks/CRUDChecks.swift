import Foundation
import Grading

/// The CRUD contract under `/api/v1/users`, stage by stage. Every stage runs against the
/// one server instance of the grading run, so checks never assume an empty store after
/// the first: they create their own users (with tagged emails) and look for them.
enum CRUDChecks {
    static let list: [Check] = [
        Check("empty-list", "a new server lists no users") { context in
            let users = try await UsersClient(context)
            let exchange = try await users.listExchange()
            try exchange.expectStatus(200, meaning: "the list of users", hint: "register a handler for GET /api/v1/users")
            let body = try exchange.expectObject("200 with {\"users\": []}", fields: ["users": "array"])
            if body["users"]?.array?.isEmpty == false {
                throw exchange.failure("a server that was just started lists users", expected: "{\"users\": []}",
                                       hint: "start with an empty store; sample users belong in tests, not in the server")
            }
        },
    ]

    static let create: [Check] = [
        Check("creates", "POST creates a user and the list shows it", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let user = try await users.create(name: person.name, email: person.email)
            let listed = try await users.list()
            if !listed.contains(user) {
                let exchange = try await users.listExchange()
                throw exchange.failure("the list does not show the user just created (\(user))",
                                       expected: "200 with {\"users\": [...]} including \(user)",
                                       hint: "keep created users in one store shared by every handler (a map in a struct, guarded by a mutex)")
            }
            let second = sample.next()
            let exchange = try await users.createExchange(name: second.name, email: second.email)
            let other = try UsersClient.created(exchange, name: second.name, email: second.email)
            if other.id == user.id {
                throw exchange.failure("the second user got the same id as the first, \(user.id)", expected: "a new id for every user")
            }
        },
        Check("malformed", "a body that is not a JSON object (malformed JSON, form data, an array) is 400") { context in
            let users = try await UsersClient(context)
            for body in [#"{"name": "Ada", "email": "#, "name=Ada&email=ada@example.com", #"["Ada", "ada@example.com"]"#] {
                let exchange = try await users.createExchange(body: body)
                try UsersClient.expectRefusal(exchange, status: 400, meaning: "the README: a body that is not one JSON object is 400",
                                              hint: "check the error json.NewDecoder(r.Body).Decode returns and answer 400")
            }
        },
        Check("invalid-name", "a missing, blank, non-string or over-100-character name is 400") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            for body in [#"{"email": "\#(sample.next().email)"}"#, CheckedUser.body(name: "", email: sample.next().email),
                         CheckedUser.body(name: "   ", email: sample.next().email), #"{"name": 7, "email": "\#(sample.next().email)"}"#] {
                let exchange = try await users.createExchange(body: body)
                try UsersClient.expectRefusal(exchange, status: 400, meaning: "the README: name is required, a string, not empty once spaces are trimmed",
                                              hint: "validate after decoding: strings.TrimSpace(name) == \"\" is an error")
            }
            let long = String(repeating: "Ada ", count: 25) + "L" // 101 characters
            let exchange = try await users.createExchange(name: long, email: sample.next().email)
            try UsersClient.expectRefusal(exchange, status: 400, meaning: "the README: a name is at most 100 characters; this one has \(long.count)",
                                          hint: "utf8.RuneCountInString(name) > 100 is an error")
        },
        Check("invalid-email", "an invalid email is 400") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            for email in ["not-an-email", "missing-at.example.com", "a@", "@example.com", ""] {
                let exchange = try await users.createExchange(name: sample.next().name, email: email)
                try UsersClient.expectRefusal(exchange, status: 400, meaning: "\(JSONValue.quote(email)) is not an email address",
                                              hint: "net/mail.ParseAddress, or a check for text before and after one @ with a dot in the domain")
            }
            let missing = try await users.createExchange(body: #"{"name": \#(JSONValue.quote(sample.next().name))}"#)
            try UsersClient.expectRefusal(missing, status: 400, meaning: "the README: email is required; this body has none",
                                          hint: "a missing email decodes as \"\": refuse it like an empty one")
        },
        Check("valid-edges", "a name of 100 characters (300 bytes) and an address with + are accepted") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            // 100 characters of 3 bytes each: the limit counts characters, so this name is fine.
            let long = String(repeating: "渡辺美咲", count: 25)
            let email = sample.next().email
            let exchange = try await users.createExchange(name: long, email: email)
            try exchange.expectStatus(201, meaning: "the README: a name is at most 100 characters, counted as characters, not bytes; this one has 100 (\(long.utf8.count) bytes)",
                                      hint: "utf8.RuneCountInString(name) counts characters; len(name) counts bytes")
            _ = try UsersClient.created(exchange, name: long, email: email)
            let plus = "ada.lovelace+\(sample.tag())@example.com"
            let name = sample.next().name
            let tagged = try await users.createExchange(name: name, email: plus)
            try tagged.expectStatus(201, meaning: "the README: \(plus) is a valid email, like ada.lovelace+7@example.com",
                                    hint: "the part before the @ may hold letters, digits and . _ % + -")
            _ = try UsersClient.created(tagged, name: name, email: plus)
        },
        Check("extra-fields", "fields other than name and email, an id among them, are ignored") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let first = sample.next(), second = sample.next()
            let existing = try await users.create(name: first.name, email: first.email)
            let body = #"{"id":\#(existing.id),"name":\#(JSONValue.quote(second.name)),"email":\#(JSONValue.quote(second.email)),"role":"admin"}"#
            let exchange = try await users.createExchange(body: body)
            try exchange.expectStatus(201, meaning: "the README: other fields in a request body (an id included) are ignored",
                                      hint: "decode into a struct with only Name and Email; do not call DisallowUnknownFields")
            let created = try UsersClient.created(exchange, name: second.name, email: second.email)
            if created.id == existing.id {
                throw exchange.failure("the new user got the id \(existing.id) the client sent, which user \(existing) already has",
                                       expected: "201 with a new id chosen by the server", hint: "the server chooses ids; ignore an id in the body")
            }
            // Through the list: reading one user is stage 3's.
            if !(try await users.list()).contains(existing) {
                let listed = try await users.listExchange()
                throw listed.failure("user \(existing.id) changed, or is gone, after a create that sent its id",
                                     expected: "\(existing) still listed as it was", hint: "the server chooses ids; ignore an id in the body")
            }
        },
        Check("duplicate-email", "a duplicate email is 409, whatever its letter case", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            _ = try await users.create(name: person.name, email: person.email)
            let again = try await users.createExchange(name: sample.next().name, email: person.email)
            try UsersClient.expectRefusal(again, status: 409, meaning: "\(person.email) is taken",
                                          hint: "look the email up before storing, under the same lock as the insert")
            let recased = SampleUsers.recased(person.email)
            let shouting = try await users.createExchange(name: sample.next().name, email: recased)
            try UsersClient.expectRefusal(shouting, status: 409, meaning: "\(recased) is the same address as \(person.email)",
                                          hint: "compare emails case-insensitively: strings.ToLower (or strings.EqualFold) on both")
            let listed = try await users.list()
            let matches = listed.filter { $0.email.lowercased() == person.email.lowercased() }
            if matches.count != 1 {
                throw shouting.failure("the list holds \(matches.count) users with the email \(person.email)", expected: "exactly one")
            }
        },
    ]

    static let get: [Check] = [
        Check("by-id", "GET by id returns the user") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let user = try await users.create(name: person.name, email: person.email)
            try await users.expectUser(user, why: "the user created just before")
        },
        Check("unknown-id", "an unknown id is 404") { context in
            let users = try await UsersClient(context)
            let highest = try await users.list().map(\.id).max() ?? 0
            try await users.expectMissing(highest + 1000, why: "the README: a number that names no user is 404")
        },
        Check("impossible-id", "ids no user can have (0, -1, too large for an integer) are 400 or 404") { context in
            // The README leaves these open: a server that parses digits only says 400 for
            // -1, one that parses integers says 404; either way no user has them.
            let users = try await UsersClient(context)
            for id in ["0", "-1", "99999999999999999999"] {
                let exchange = try await users.getExchange(id)
                try UsersClient.expectRefusal(exchange, statuses: [400, 404],
                                              meaning: "no user can have the id \(id): 400 (not an id) or 404 (no such user), either is fine",
                                              hint: "answer it like any other bad or unknown id; never a user, never a 500")
            }
        },
        Check("bad-id", "a non-numeric id is 400") { context in
            let users = try await UsersClient(context)
            for id in ["abc", "1.5", "12abc"] {
                let exchange = try await users.getExchange(id)
                try UsersClient.expectRefusal(exchange, status: 400,
                                              meaning: "the README: an id that is not made of digits is the client's mistake (400); \"\(id)\" is not",
                                              hint: "strconv.Atoi on the last path segment fails for \"\(id)\": answer 400 when it does")
            }
        },
    ]

    static let updateDelete: [Check] = [
        Check("updates", "PUT replaces the name and email", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let user = try await users.create(name: person.name, email: person.email)
            let changed = sample.next()
            let exchange = try await users.updateExchange(String(user.id), body: CheckedUser.body(name: changed.name, email: changed.email))
            let expected = CheckedUser(id: user.id, name: changed.name, email: changed.email)
            try exchange.expectStatus(200, meaning: "the updated user")
            let got = try CheckedUser.read(try exchange.expectJSON("200 with \(expected)"), in: exchange, what: "200 with \(expected)")
            if got != expected { throw exchange.failure("got \(got)", expected: "200 with \(expected)") }
            try await users.expectUser(expected, why: "the user after the update")
            // Keeping one's own email, in another letter case, is not a duplicate.
            let recased = SampleUsers.recased(changed.email)
            let renamed = try await users.updateExchange(String(user.id), body: CheckedUser.body(name: person.name, email: recased))
            try renamed.expectStatus(200, meaning: "the README: a user may keep their own email, in any letter case (\(recased) is \(changed.email))",
                                     hint: "when looking for a duplicate, skip the user being updated: compare the owner's id, not the email text")
            // The email given up is free again.
            let reused = try await users.createExchange(name: sample.next().name, email: person.email)
            try reused.expectStatus(201, meaning: "\(person.email) was given up by user \(user.id) in an update, so it is free",
                                    hint: "an update that changes the email must remove the old one from the email index")
        },
        Check("update-errors", "PUT refuses an unknown id, a bad body and another user's email") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let first = sample.next(), second = sample.next()
            let ada = try await users.create(name: first.name, email: first.email)
            let bob = try await users.create(name: second.name, email: second.email)
            let highest = try await users.list().map(\.id).max() ?? 0
            let unknown = try await users.updateExchange(String(highest + 1000), body: CheckedUser.body(name: "Nobody", email: sample.next().email))
            try UsersClient.expectRefusal(unknown, status: 404, meaning: "no user has this id")
            let invalid = try await users.updateExchange(String(ada.id), body: CheckedUser.body(name: "", email: "not-an-email"))
            try UsersClient.expectRefusal(invalid, status: 400, meaning: "the same validation as a create")
            let taken = try await users.updateExchange(String(ada.id), body: CheckedUser.body(name: ada.name, email: SampleUsers.recased(bob.email)))
            try UsersClient.expectRefusal(taken, status: 409, meaning: "\(bob.email) belongs to another user")
            try await users.expectUser(ada, why: "refused updates change nothing")
        },
        Check("bad-id-writes", "PUT and DELETE on a non-numeric id are 400") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let hint = "read the id the same way for every method: a segment that is not a number is 400 before anything else"
            let update = try await users.updateExchange("abc", body: CheckedUser.body(name: person.name, email: person.email))
            try UsersClient.expectRefusal(update, status: 400, meaning: "the README: an id that is not an integer is 400, for PUT as for GET", hint: hint)
            let delete = try await users.deleteExchange("abc")
            try UsersClient.expectRefusal(delete, status: 400, meaning: "the README: an id that is not an integer is 400, for DELETE as for GET", hint: hint)
        },
        Check("deletes", "DELETE removes the user", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let user = try await users.create(name: person.name, email: person.email)
            let exchange = try await users.deleteExchange(String(user.id))
            try exchange.expectStatus(204, meaning: "deleted, nothing to return")
            if !exchange.response.body.isEmpty {
                throw exchange.failure("a 204 response has a body", expected: "204 with no body",
                                       hint: "call w.WriteHeader(http.StatusNoContent) and write nothing")
            }
            try await users.expectMissing(user.id, why: "the user was deleted")
            let again = try await users.deleteExchange(String(user.id))
            try UsersClient.expectRefusal(again, status: 404, meaning: "the user is already gone")
            let listed = try await users.list()
            if listed.contains(where: { $0.id == user.id }) {
                let shown = try await users.listExchange()
                throw shown.failure("the list still shows the deleted user \(user)", expected: "a list without id \(user.id)")
            }
            let reused = try await users.createExchange(name: sample.next().name, email: SampleUsers.recased(person.email))
            try reused.expectStatus(201, meaning: "the README: a deleted user's email is free again",
                                    hint: "a delete must also remove the user's email from the email index")
        },
    ]
}
