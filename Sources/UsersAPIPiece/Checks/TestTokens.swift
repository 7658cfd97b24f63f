import CourseEngine
import Foundation
import Grading

/// JWTs the auth checks mint themselves, good and forged, from the header and claims
/// as JSON text (so a check can send exactly `{"alg":"none"}`).
struct TestTokens {
    let secret: String

    static func encode(_ json: String) -> String {
        Base64URL.encode(Array(json.utf8))
    }

    /// `header.claims.signature`, signed HS256 with `key` (the server's secret by default).
    func signed(claims: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#, key: String? = nil) -> String {
        let input = Self.encode(header) + "." + Self.encode(claims)
        let mac = HMACSHA256.authenticationCode(for: Array(input.utf8), key: Array((key ?? secret).utf8))
        return input + "." + Base64URL.encode(mac)
    }

    static func claims(subject: Int, expires: Date) -> String {
        #"{"sub":"\#(subject)","exp":\#(Int(expires.timeIntervalSince1970)),"iat":\#(Int(Date().timeIntervalSince1970) - 5)}"#
    }

    /// A valid token for user `id`, an hour long.
    func valid(for id: Int) -> String {
        signed(claims: Self.claims(subject: id, expires: Date().addingTimeInterval(3600)))
    }

    /// Expired an hour ago: past any leeway for clock skew a server may allow (a few
    /// minutes is common), so every reasonable server refuses it.
    func expired(for id: Int) -> String {
        signed(claims: Self.claims(subject: id, expires: Date().addingTimeInterval(-3600)))
    }

    /// Signed with another secret.
    func wrongKey(for id: Int) -> String {
        signed(claims: Self.claims(subject: id, expires: Date().addingTimeInterval(3600)), key: secret + "-not")
    }

    /// `alg: none` and no signature: the classic forgery.
    func unsigned(for id: Int) -> String {
        Self.encode(#"{"alg":"none","typ":"JWT"}"#) + "." + Self.encode(Self.claims(subject: id, expires: Date().addingTimeInterval(3600))) + "."
    }

    /// A valid token for `id` whose claims were swapped for `other`'s, keeping the signature.
    func tampered(for id: Int, claiming other: Int) -> String {
        let good = valid(for: id).split(separator: ".")
        return "\(good[0]).\(Self.encode(Self.claims(subject: other, expires: Date().addingTimeInterval(3600)))).\(good[2])"
    }
}
