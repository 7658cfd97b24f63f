import Crypto

/// SHA-256, streaming: the course's submission hashes, report names and proxy digests.
///
/// A thin wrapper over swift-crypto's `SHA256` (BoringSSL underneath), which the project
/// has through the gRPC transport anyway; it keeps the `[UInt8]`-and-hex API the grader and
/// the pieces call. Pinned by the standard test vectors and by comparison with `sha256sum`
/// in `SubmissionHasherTests`.
public struct SHA256: Sendable {
    /// The digest size in bytes.
    public static let byteCount = Crypto.SHA256.byteCount
    /// The block size in bytes (HMAC pads keys to it).
    public static let blockSize = Crypto.SHA256.blockByteCount

    private var hasher = Crypto.SHA256()

    public init() {}

    /// The digest of `bytes`, as 64 lowercase hex digits.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hex(Array(Crypto.SHA256.hash(data: Array(bytes))))
    }

    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public mutating func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The 32-byte digest. The hasher must not be updated afterwards.
    public mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }
}
