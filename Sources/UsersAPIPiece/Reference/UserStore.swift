/// Where the users live. Implementations are safe under concurrent calls, hand out ids from
/// a counter that only grows (so an id is never reused, even after the user is deleted) and
/// keep emails unique ignoring case (`UserInput.emailKey`).
public protocol UserStore: Sendable {
    /// Every user, by ascending id.
    func list() async throws -> [User]
    /// Stores a new user under the next id. Throws `UserStoreError.duplicateEmail`.
    func create(_ input: UserInput) async throws -> User
    func user(id: Int) async throws -> User?
    /// Replaces name and email. Throws `UserStoreError.notFound` or `.duplicateEmail`
    /// (another user has the address; the user's own address in another case is fine).
    func update(id: Int, with input: UserInput) async throws -> User
    /// False when there was no such user.
    func delete(id: Int) async throws -> Bool
}

public enum UserStoreError: Error, Equatable, Sendable {
    case notFound
    case duplicateEmail
}
