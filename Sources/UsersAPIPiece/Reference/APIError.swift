import Hummingbird

/// An error the API answers with `{"error": message}` and `status`.
public struct APIError: Error, Equatable, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// Extra response headers (`Allow` on a 405, `WWW-Authenticate` on a 401).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }
}
