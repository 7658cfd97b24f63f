import Crypto

/// HMAC-SHA-256 (RFC 2104), for the users API's HS256 tokens: swift-crypto's `HMAC`, with
/// the `[UInt8]` API the users API calls. Pinned by the RFC 4231 test vectors and by tokens
/// signed with Python's `hmac` module and PyJWT in `UsersAPITests`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Compares two codes in time that depends only on their lengths, so a forger cannot
    /// learn how many leading bytes of a guess were right.
    public static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
