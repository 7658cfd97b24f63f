/// A user as the API sends it: `{"email":"ada@example.com","id":1,"name":"Ada"}`.
public struct User: Codable, Equatable, Hashable, Sendable {
    /// Positive, unique, never handed out again once used (see `UserStore`).
    public var id: Int
    public var name: String
    public var email: String

    public init(id: Int, name: String, email: String) {
        self.id = id
        self.name = name
        self.email = email
    }
}
