/// One command a check sends: its arguments as bytes (keys and values may hold spaces,
/// `\r\n` and NUL), encoded as every Redis client encodes them, an array of bulk strings.
struct CacheCommand: Sendable, Equatable {
    let arguments: [[UInt8]]

    init(_ parts: String...) {
        arguments = parts.map { Array($0.utf8) }
    }

    init(arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    /// `*N\r\n` then `$len\r\nbytes\r\n` per argument.
    var encoded: [UInt8] {
        var bytes = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            bytes += Array("$\(argument.count)\r\n".utf8) + argument + [13, 10]
        }
        return bytes
    }

    var name: String { String(decoding: arguments.first ?? [], as: UTF8.self).uppercased() }

    /// As a person types it into redis-cli: plain words bare, others in double quotes with
    /// escapes (`SET "a b" "x\r\ny"`), long arguments shortened.
    var readable: String {
        arguments.map(Self.word).joined(separator: " ")
    }

    static func word(_ argument: [UInt8]) -> String {
        let shown = argument.count > 40 ? Array(argument.prefix(32)) : argument
        let plain = !shown.isEmpty && shown.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        var text = ""
        if plain {
            text = String(decoding: shown, as: UTF8.self)
        } else {
            text = "\""
            for byte in shown {
                switch byte {
                case 13: text += "\\r"
                case 10: text += "\\n"
                case UInt8(ascii: "\""): text += "\\\""
                case UInt8(ascii: "\\"): text += "\\\\"
                case 32..<127: text += String(UnicodeScalar(byte))
                default: text += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
                }
            }
            text += "\""
        }
        return argument.count > 40 ? text + "…(\(argument.count) bytes)" : text
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
