import Foundation
import Grading

/// Many clients at once: ids stay unique, no create is lost, one email wins exactly once,
/// and ids are never handed out twice, even after a delete.
enum ConcurrencyChecks {
    static let clients = 50
    static let sameEmailClients = 20

    static let checks: [Check] = [
        Check("concurrent-creates", "\(clients) clients creating at once get distinct ids, none lost", weight: 3) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let people = (0..<clients).map { _ in sample.next() }
            let exchanges = try await users.http.burst(people.map { .json("POST", UsersClient.collection, CheckedUser.body(name: $0.name, email: $0.email)) })
            var created: [CheckedUser] = []
            for (person, exchange) in zip(people, exchanges) {
                created.append(try UsersClient.created(exchange, name: person.name, email: person.email))
            }
            let byID = Dictionary(grouping: created, by: \.id)
            if let (id, twins) = byID.first(where: { $0.value.count > 1 }) {
                let exchange = exchanges[created.firstIndex { $0.id == id }!]
                throw exchange.failure("\(twins.count) of \(clients) concurrent creates got the same id \(id): \(BriefList(twins.map(\.email)))",
                                       expected: "\(clients) distinct ids",
                                       hint: "choosing the next id and storing the user must happen under one mutex (sync.Mutex), or the id counter must be atomic")
            }
            let listed = Set(try await users.list())
            let lost = created.filter { !listed.contains($0) }
            if !lost.isEmpty {
                let exchange = try await users.listExchange()
                throw exchange.failure("\(lost.count) of \(clients) users created at once are missing from the list, e.g. \(lost[0])",
                                       expected: "every created user listed",
                                       hint: "concurrent writes to a Go map without a lock lose entries (or crash): guard the store with a sync.Mutex")
            }
        },
        Check("same-email-race", "\(sameEmailClients) clients racing for one email: exactly one wins", weight: 2) { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let email = sample.next().email
            let names = (0..<sameEmailClients).map { _ in sample.next().name }
            let exchanges = try await users.http.burst(names.map { .json("POST", UsersClient.collection, CheckedUser.body(name: $0, email: email)) })
            let winners = exchanges.filter { $0.response.status == 201 }
            if let odd = exchanges.first(where: { ![201, 409].contains($0.response.status) }) {
                try odd.expectStatus(201, 409, meaning: "one create wins, the others find the email taken")
            }
            if winners.count != 1 {
                throw (winners.dropFirst().first ?? exchanges[0]).failure(
                    "\(winners.count) of \(sameEmailClients) concurrent creates with the email \(email) got 201",
                    expected: "exactly one 201; the others 409",
                    hint: "the duplicate check and the insert must happen under the same lock, or two requests both see the email free")
            }
        },
        Check("ids-not-reused", "ids are never reused after a delete") { context in
            let users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let newest = try await users.create(name: person.name, email: person.email)
            let highest = max(newest.id, try await users.list().map(\.id).max() ?? 0)
            let deletion = try await users.deleteExchange(String(highest))
            try deletion.expectStatus(204, meaning: "the user with the highest id is deleted")
            let next = sample.next()
            let exchange = try await users.createExchange(name: next.name, email: next.email)
            let created = try UsersClient.created(exchange, name: next.name, email: next.email)
            if created.id <= highest {
                throw exchange.failure("after deleting id \(highest), a new user got id \(created.id)",
                                       expected: "an id above \(highest): ids are never reused",
                                       hint: "keep a counter that only grows (nextID++), not len(users)+1")
            }
        },
    ]
}
