import Foundation

/// The reference's users, in memory. One lock guards the users, the email index and the id
/// counter together, so two creates at once never share an id or an email. Ids come from a
/// counter that only grows: a deleted user's id is never handed out again.
final class UserDirectory: @unchecked Sendable {
    struct Record: Equatable, Sendable {
        var id: Int32
        var name: String
        var email: String
    }

    enum Refusal: Error, Equatable {
        case notFound(Int32)
        case invalid(String)
        case emailTaken(String)
    }

    private var users: [Int32: Record] = [:]
    /// Email key → id of the user that has it.
    private var owners: [String: Int32] = [:]
    private var nextID: Int32 = 1
    private let lock = NSLock()

    func get(_ id: Int32) throws(Refusal) -> Record {
        guard let user = lock.withLock({ users[id] }) else { throw .notFound(id) }
        return user
    }

    func create(name: String, email: String) throws(Refusal) -> Record {
        if let problem = UserRules.nameProblem(name) ?? UserRules.emailProblem(email) { throw .invalid(problem) }
        let key = UserRules.emailKey(email)
        let created: Record? = lock.withLock {
            guard owners[key] == nil else { return nil }
            let user = Record(id: nextID, name: name, email: email)
            nextID += 1
            users[user.id] = user
            owners[key] = user.id
            return user
        }
        guard let created else { throw .emailTaken(email) }
        return created
    }

    /// Changes the fields given (nil leaves one as it is), under the same rules as a create.
    func update(_ id: Int32, name: String?, email: String?) throws(Refusal) -> Record {
        let result: Result<Record, Refusal> = lock.withLock {
            guard var user = users[id] else { return .failure(.notFound(id)) }
            let newName = name ?? user.name, newEmail = email ?? user.email
            if let problem = UserRules.nameProblem(newName) ?? UserRules.emailProblem(newEmail) {
                return .failure(.invalid(problem))
            }
            let key = UserRules.emailKey(newEmail)
            if let owner = owners[key], owner != id { return .failure(.emailTaken(newEmail)) }
            owners[UserRules.emailKey(user.email)] = nil
            user.name = newName
            user.email = newEmail
            users[id] = user
            owners[key] = id
            return .success(user)
        }
        return try result.get()
    }

    func delete(_ id: Int32) throws(Refusal) {
        let removed: Record? = lock.withLock {
            guard let user = users.removeValue(forKey: id) else { return nil }
            owners[UserRules.emailKey(user.email)] = nil
            return user
        }
        if removed == nil { throw .notFound(id) }
    }

    /// Every user, in id order: a copy, so the stream is sent without holding the lock.
    func all() -> [Record] {
        lock.withLock { users.values.sorted { $0.id < $1.id } }
    }

    /// Forgets every user (the grader's reset between checks); ids go on growing.
    func removeAll() {
        lock.withLock {
            users = [:]
            owners = [:]
        }
    }
}
