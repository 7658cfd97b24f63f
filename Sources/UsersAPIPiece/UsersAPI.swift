import Grading

/// The users API piece (DESIGN.md, "users API (REST)"): a JSON CRUD service under
/// `/api/v1/users`, a JWT-protected `/api/v1/profile` and `/healthz`.
///
/// `Reference/` holds the reference server (`UsersAPIServer`), whose contract is published
/// as `Exercises/users-api/openapi.yaml`, and the deliberately broken variants it can be
/// built with (`Flaws`) that prove the checks; `Checks/` holds the checks of the five
/// users exercises.
public enum UsersAPI {
    /// The piece's name, and its service's (`course serve users-api`).
    public static let pieceID = "users-api"

    /// The piece as the CLI registers it: its checks (with the reference and its flaws run as
    /// `course serve users-api`, since checks signal and restart them), its service, and the
    /// variables its exercises use.
    public static let piece = Piece(
        id: pieceID,
        suites: [suite, TestWritingChecks.suite],
        services: [service],
        variables: [
            ProgramVariable("JWT_SECRET", .secret(bytes: 32), summary: "the HS256 key of the profile's bearer tokens"),
            ProgramVariable("DATABASE_PATH", .dataFile("data.db"), summary: "where to keep users so they survive a restart"),
        ])
}
