/// Users written as JSON by hand, on the hot paths (the list, one user): the same text
/// `JSONEncoder` with sorted keys gives, `{"email":…,"id":…,"name":…}`, without its
/// reflection and boxing, which the benchmark showed to cost a third of a list request.
enum UserJSON {
    static func bytes(_ user: User) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + user.name.utf8.count + user.email.utf8.count)
        append(user, to: &out)
        return out
    }

    /// `{"users":[…]}`.
    static func bytes(list users: [User]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + users.count * 80)
        out.append(contentsOf: #"{"users":["#.utf8)
        for (index, user) in users.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(user, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    static func append(_ user: User, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"email":"#.utf8)
        appendString(user.email, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        out.append(contentsOf: String(user.id).utf8)
        out.append(contentsOf: #","name":"#.utf8)
        appendString(user.name, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string: quotes, backslashes and control characters escaped; everything else,
    /// `/` and non-ASCII included, as UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
