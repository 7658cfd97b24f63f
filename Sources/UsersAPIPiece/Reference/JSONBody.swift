import Foundation
import Hummingbird
import NIOCore

/// Reading request bodies and writing JSON responses, the same way on every route.
enum JSONBody {
    /// Deeper nesting than this is refused before parsing: no body can make the parser
    /// recurse far (a megabyte of `[` is 400, not a stack overflow).
    static let maximumDepth = 32

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The body as a JSON object, or a 400 that says what is wrong with it.
    static func object(_ body: [UInt8]) throws(APIError) -> [String: Any] {
        if body.isEmpty { throw APIError(.badRequest, "the body must be a JSON object, and it is empty") }
        if depth(of: body) > maximumDepth {
            throw APIError(.badRequest, "the body is nested more than \(maximumDepth) levels deep")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw APIError(.badRequest, "the body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw APIError(.badRequest, "the body must be a JSON object") }
        return object
    }

    /// The deepest nesting of `[` and `{` outside strings (an upper bound for invalid JSON).
    static func depth(of bytes: [UInt8]) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Collects at most `limit` bytes of the body (413 beyond) after checking that the
    /// declared type, if any, is JSON (415 otherwise). A body sent without a Content-Type
    /// is read as JSON, so `curl --data-binary` without `-H` still works.
    static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let type = request.headers[.contentType] {
            let media = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
                throw APIError(.unsupportedMediaType, "Content-Type must be application/json (got \(type))")
            }
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is larger than \(limit) bytes")
        }
    }

    /// A response whose body is `value` as JSON with `Content-Type: application/json`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return response(bytes: data, status: status)
    }

    static func response(bytes: some Sequence<UInt8>, status: HTTPResponse.Status, headers: HTTPFields = [:],
                         contentType: String = "application/json") -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
