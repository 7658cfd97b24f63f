/// HMAC-SHA-256 (RFC 2104 with the SHA-256 of FIPS 180-4), for the users API's HS256 tokens.
///
/// Built on the course's own `SHA256` for the same reason it exists: no swift-crypto build
/// for one keyed digest. Pinned by the RFC 4231 test vectors and by tokens signed with
/// Python's `hmac` module and PyJWT in `UsersAPITests`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key
        if block.count > SHA256.blockSize {
            var hasher = SHA256()
            hasher.update(block)
            block = hasher.finalize()
        }
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)

        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
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
