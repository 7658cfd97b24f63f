import Synchronization

/// The store of `course serve users-api` without `--db`: gone when the server stops.
/// One mutex guards the users, the email index and the id counter together.
public final class MemoryUserStore: UserStore {
    private struct State {
        var users: [Int: User] = [:]
        /// Email key → id of the user that has it.
        var owners: [String: Int] = [:]
        /// The highest id ever handed out.
        var lastID = 0
    }

    private let state = Mutex(State())
    private let flaws: Flaws

    /// `flaws` may include the store's own (`Flaws.storeFlaws`); others are ignored here.
    public init(flaws: Flaws = []) {
        self.flaws = flaws
    }

    public func list() async throws -> [User] {
        state.withLock { $0.users.values.sorted { $0.id < $1.id } }
    }

    public func create(_ input: UserInput) async throws -> User {
        if flaws.contains(.unlockedIDs) {
            // Flaw: the id is chosen in one critical section and used in another.
            let id = state.withLock { nextID($0) }
            await Task.yield()
            return try state.withLock { try insert(User(id: id, name: input.name, email: input.email), into: &$0) }
        }
        return try state.withLock { state in
            try insert(User(id: nextID(state), name: input.name, email: input.email), into: &state)
        }
    }

    public func user(id: Int) async throws -> User? {
        state.withLock { $0.users[id] }
    }

    public func update(id: Int, with input: UserInput) async throws -> User {
        try state.withLock { state in
            guard let old = state.users[id] else { throw UserStoreError.notFound }
            let key = emailKey(input.email)
            if let owner = state.owners[key], owner != id { throw UserStoreError.duplicateEmail }
            state.owners[emailKey(old.email)] = nil
            let user = User(id: id, name: input.name, email: input.email)
            state.users[id] = user
            state.owners[key] = id
            return user
        }
    }

    public func delete(id: Int) async throws -> Bool {
        state.withLock { state in
            guard let old = state.users.removeValue(forKey: id) else { return false }
            state.owners[emailKey(old.email)] = nil
            return true
        }
    }

    private func nextID(_ state: State) -> Int {
        flaws.contains(.idsFromCount) ? state.users.count + 1 : state.lastID + 1
    }

    private func insert(_ user: User, into state: inout State) throws -> User {
        let key = emailKey(user.email)
        if state.owners[key] != nil { throw UserStoreError.duplicateEmail }
        if let replaced = state.users[user.id] {
            // Only a flawed id choice gets here: the older user is overwritten (lost).
            state.owners[emailKey(replaced.email)] = nil
        }
        state.users[user.id] = user
        state.owners[key] = user.id
        state.lastID = max(state.lastID, user.id)
        return user
    }

    private func emailKey(_ email: String) -> String {
        flaws.contains(.caseSensitiveEmails) ? email : UserInput.emailKey(email)
    }
}
