/// The users API piece (DESIGN.md, "users API (REST)"): a JSON CRUD service under
/// `/api/v1/users`, a JWT-protected `/api/v1/profile` and `/healthz`.
///
/// `Reference/` holds the reference server (`UsersAPIServer`), whose contract is published
/// as `Exercises/users-api/openapi.yaml`, and the deliberately broken variants it can be
/// built with (`Flaws`) that prove the checks.
public enum UsersAPI {
    /// The name of the piece on the command line (`course serve users-api`).
    public static let pieceID = "users-api"
}
