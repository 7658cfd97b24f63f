import CourseEngine
import Foundation

/// JSON Web Tokens signed with HMAC-SHA-256 (RFC 7519, `alg: HS256`), the only kind the
/// profile endpoints accept.
///
/// A token is accepted when: it has three base64url parts; its header is a JSON object whose
/// `alg` is exactly `HS256` (`none` and every other algorithm are refused, whatever the
/// signature); the signature is the HMAC of `header.payload` under the server's secret
/// (compared in constant time); the payload is a JSON object; `exp` is present (a token
/// without it would be valid forever) and a number later than now; `nbf`, if present, is a number not later than now; and `sub` names a user
/// id, as a string of digits (`"42"`, what RFC 7519 prescribes) or a JSON integer (`42`).
public enum HS256Token {
    public enum Rejection: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String)
        case unsupportedAlgorithm(String)
        case badSignature
        case expired
        case noExpiry
        case notYetValid
        case noSubject

        public var description: String {
            switch self {
            case .malformed(let why): return "the token is malformed: \(why)"
            case .unsupportedAlgorithm(let alg): return "the token's algorithm \(alg) is not accepted (only HS256)"
            case .badSignature: return "the token's signature is not valid"
            case .expired: return "the token has expired"
            case .noExpiry: return "the token has no exp claim (it would never expire)"
            case .notYetValid: return "the token is not valid yet (nbf)"
            case .noSubject: return "the token has no sub claim naming a user id"
            }
        }
    }

    /// A signed token for `claims` (a JSON object), e.g. `["sub": "1", "exp": 1_900_000_000]`.
    public static func sign(claims: [String: Any], secret: [UInt8]) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "HS256", "typ": "JWT"], options: [.sortedKeys])
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(HMACSHA256.authenticationCode(for: Array(signingInput.utf8), key: secret))
    }

    /// The user id in the token's `sub`, if the token passes every rule above at `now`.
    public static func verify(_ token: String, secret: [UInt8], now: Date = Date()) throws(Rejection) -> Int {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected header.payload.signature") }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = decode(Header.self, headerBytes) else {
            throw .malformed("the header is not a base64url JSON object")
        }
        guard let alg = header.alg else { throw .malformed("the header has no alg") }
        guard alg == "HS256" else { throw .unsupportedAlgorithm(alg) }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed("the signature is not base64url") }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard HMACSHA256.constantTimeEquals(signature, HMACSHA256.authenticationCode(for: signingInput, key: secret)) else {
            throw .badSignature
        }
        guard let payloadBytes = Base64URL.decode(parts[1]), let claims = decode(Claims.self, payloadBytes) else {
            throw .malformed("the payload is not a base64url JSON object with numeric exp and nbf")
        }
        let seconds = now.timeIntervalSince1970
        guard let exp = claims.exp else { throw .noExpiry }
        if exp <= seconds { throw .expired }
        if let nbf = claims.nbf, nbf > seconds { throw .notYetValid }
        guard let id = claims.subject else { throw .noSubject }
        return id
    }

    private struct Header: Decodable {
        var alg: String?
    }

    /// The registered claims the server reads; JSONDecoder refuses `"exp": true` or
    /// `"exp": "soon"`, which makes the token malformed.
    private struct Claims: Decodable {
        var exp: Double?
        var nbf: Double?
        var subject: Int?

        enum CodingKeys: String, CodingKey { case exp, nbf, sub }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            exp = try container.decodeIfPresent(Double.self, forKey: .exp)
            nbf = try container.decodeIfPresent(Double.self, forKey: .nbf)
            if let text = try? container.decodeIfPresent(String.self, forKey: .sub) {
                let digits = !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                subject = digits ? Int(text) : nil
            } else {
                subject = try? container.decodeIfPresent(Int.self, forKey: .sub)
            }
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        guard JSONBody.depth(of: bytes) <= JSONBody.maximumDepth else { return nil }
        return try? JSONDecoder().decode(type, from: Data(bytes))
    }
}
