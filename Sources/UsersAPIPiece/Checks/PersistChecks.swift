import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// `users-persist`: the users live in the file at `$DATABASE_PATH`, so they survive a
/// restart (SIGTERM) and a crash (SIGKILL right after a 201), and ids stay unused.
enum PersistChecks {
    static let restart: [Check] = [
        Check("survives-restart", "users, updates and deletes survive a restart", weight: 2) { context in
            var users = try await UsersClient(context)
            var sample = SampleUsers(context)
            var kept: [CheckedUser] = []
            for _ in 0..<3 {
                let person = sample.next()
                kept.append(try await users.create(name: person.name, email: person.email))
            }
            let changed = sample.next()
            let update = try await users.updateExchange(String(kept[0].id), body: CheckedUser.body(name: changed.name, email: changed.email))
            try update.expectStatus(200, meaning: "the user is updated")
            kept[0] = CheckedUser(id: kept[0].id, name: changed.name, email: changed.email)
            let gone = kept.removeLast()
            try (try await users.deleteExchange(String(gone.id))).expectStatus(204, meaning: "the user is deleted")

            _ = try await context.restartServer(signal: SIGTERM)
            users = try await UsersClient(context)
            for user in kept {
                try await users.expectUser(user, why: "it was stored before the server was stopped (SIGTERM) and started again with the same DATABASE_PATH")
            }
            try await users.expectMissing(gone.id, why: "it was deleted before the restart; the delete must be stored too")
            // The email index comes back with the users: a taken email is still taken.
            let duplicate = try await users.createExchange(name: sample.next().name, email: SampleUsers.recased(kept[1].email))
            try UsersClient.expectRefusal(duplicate, status: 409, meaning: "\(kept[1].email) was taken before the restart and still is",
                                          hint: "rebuild the email lookup from the stored users when the server starts")
        },
    ]

    /// The file is where the README puts it: a program that writes `users.json` beside
    /// itself survives restarts too, but not a deploy that mounts a volume at `DATABASE_PATH`.
    static let dataFile = Check("data-file", "the data is kept in the file at DATABASE_PATH") { context in
        guard let path = context.variables["DATABASE_PATH"] else {
            throw CheckFailure("the exercise does not give the server a DATABASE_PATH", hint: "list DATABASE_PATH under environment in exercise.yaml")
        }
        let users = try await UsersClient(context)
        var sample = SampleUsers(context)
        let person = sample.next()
        let exchange = try await users.createExchange(name: person.name, email: person.email)
        _ = try UsersClient.created(exchange, name: person.name, email: person.email)
        // lstat: a link the program made there is its file too, and is not followed.
        var info = stat()
        if lstat(path, &info) != 0 {
            throw exchange.failure("after this create answered 201, there is no file at DATABASE_PATH (\(path))",
                                   expected: "the users stored in the file DATABASE_PATH names",
                                   hint: "open os.Getenv(\"DATABASE_PATH\"); a default such as users.json is only for runs without it")
        }
    }

    static let crash: [Check] = [
        Check("survives-crash", "every answered write survives SIGKILL right after it", weight: 2) { context in
            var users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let first = sample.next(), second = sample.next()
            let kept = try await users.create(name: first.name, email: first.email)
            let doomed = try await users.create(name: second.name, email: second.email)
            _ = try await context.restartServer(signal: SIGKILL)
            users = try await UsersClient(context)
            let exchange = try await users.getExchange(String(kept.id))
            try exchange.expectStatus(200, meaning: "the user was acknowledged with 201 before the server was killed",
                                      hint: "write the data to disk before answering: f.Sync() before the rename, or commit the SQLite transaction first")
            try await users.expectUser(kept, why: "acknowledged before the crash")
            // An update and a delete, each followed by a crash at once.
            let changed = sample.next()
            let updated = CheckedUser(id: kept.id, name: changed.name, email: changed.email)
            try (try await users.updateExchange(String(kept.id), body: CheckedUser.body(name: changed.name, email: changed.email)))
                .expectStatus(200, meaning: "the user is updated")
            _ = try await context.restartServer(signal: SIGKILL)
            users = try await UsersClient(context)
            try await users.expectUser(updated, why: "the update was answered 200 before the server was killed; save it before answering")
            try (try await users.deleteExchange(String(doomed.id))).expectStatus(204, meaning: "the user is deleted")
            _ = try await context.restartServer(signal: SIGKILL)
            users = try await UsersClient(context)
            try await users.expectMissing(doomed.id, why: "the delete was answered 204 before the server was killed; save it before answering")
        },
    ]

    static let ids: [Check] = [
        Check("ids-after-restart", "ids are not reused after a delete and a restart") { context in
            var users = try await UsersClient(context)
            var sample = SampleUsers(context)
            let person = sample.next()
            let newest = try await users.create(name: person.name, email: person.email)
            let highest = max(newest.id, try await users.list().map(\.id).max() ?? 0)
            try (try await users.deleteExchange(String(highest))).expectStatus(204, meaning: "the user with the highest id is deleted")
            _ = try await context.restartServer(signal: SIGTERM)
            users = try await UsersClient(context)
            let next = sample.next()
            let exchange = try await users.createExchange(name: next.name, email: next.email)
            let created = try UsersClient.created(exchange, name: next.name, email: next.email)
            if created.id <= highest {
                throw exchange.failure("after deleting id \(highest) and restarting, a new user got id \(created.id)",
                                       expected: "an id above \(highest)",
                                       hint: "store the next id with the users (a field in the file, or AUTOINCREMENT in SQLite), not max(id)+1")
            }
        },
    ]
}
