import Foundation

/// A JSON document as a check sees it: objects compare without regard to key order, numbers
/// by value, and a parse error says where the text stopped being JSON. Its own strict
/// RFC 8259 parser, so what counts as JSON does not depend on Foundation's leniency (a
/// learner's server that sends `{'a': 1}` or a trailing comma is told so, with the offset).
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// The number's text as written; compared by value.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Keys in the order they came, for showing; compared as a dictionary.
    case object([(key: String, value: JSONValue)])

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "not valid JSON at byte \(offset): \(reason)" }
    }

    public init(parsing data: Data) throws {
        var parser = Parser(bytes: Array(data))
        self = try parser.document()
    }

    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    // MARK: Reading

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.last { $0.key == key }?.value }
        return nil
    }

    public var keys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }

    /// When an object lacks `name` but has it in another letter case: the hint a Go
    /// programmer needs (a struct field without a JSON tag is encoded as `Name`).
    public func caseHint(for name: String) -> String? {
        keys.first { $0 != name && $0.lowercased() == name.lowercased() }.map {
            "it has \"\($0)\": JSON names are case-sensitive; in Go, tag the field `json:\"\(name)\"`"
        }
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The number when it is a whole number that fits an Int (`7`, `7.0`, `7e0`).
    public var int: Int? {
        guard let value = double, value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// "object", "array", "string", "number", "boolean", "null": for messages.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A kind with its article, as a sentence says it: "an array", "a string".
    public static func withArticle(_ kind: String) -> String {
        (kind.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + kind
    }

    // MARK: Equality and text

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || (Double(x) != nil && Double(x) == Double(y))
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            guard Set(x.map(\.key)).count == Set(y.map(\.key)).count, Set(x.map(\.key)) == Set(y.map(\.key)) else { return false }
            return x.allSatisfy { member in a[member.key] == b[member.key] }
        default: return false
        }
    }

    /// Whether this value says everything `expected` says, and maybe more: an object may
    /// have members `expected` lacks (at any depth); arrays match item by item, same length,
    /// same order; everything else compares with `==`. What a contract means by "extra fields
    /// are ignored".
    public func includes(_ expected: JSONValue) -> Bool {
        switch (self, expected) {
        case (.array(let items), .array(let wanted)):
            return items.count == wanted.count && zip(items, wanted).allSatisfy { $0.includes($1) }
        case (.object, .object(let wanted)):
            return wanted.allSatisfy { member in self[member.key].map { $0.includes(member.value) } ?? false }
        default:
            return self == expected
        }
    }

    /// Compact JSON text, keys in their order.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return Self.quote(text)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { "\(Self.quote($0.key)):\($0.value)" }.joined(separator: ",") + "}"
        }
    }

    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Parser

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        mutating func document() throws -> JSONValue {
            skipSpace()
            let value = try parseValue()
            skipSpace()
            if index < bytes.count { throw fail("unexpected \(describe(bytes[index])) after the end of the value") }
            return value
        }

        func fail(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

        func describe(_ byte: UInt8) -> String {
            (0x21...0x7e).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02x", byte)
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
        }

        mutating func parseValue() throws -> JSONValue {
            guard index < bytes.count else { throw fail(index == 0 ? "the body is empty" : "the text ends where a value should start") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            case let byte: throw fail("expected a value, found \(describe(byte))")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw fail("expected \(word)")
            }
            index += expected.count
        }

        mutating func nest() throws {
            depth += 1
            if depth > 512 { throw fail("nested more than 512 deep") }
        }

        mutating func parseObject() throws -> JSONValue {
            try nest()
            defer { depth -= 1 }
            index += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count else { throw fail("the text ends inside an object") }
                guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes, found \(describe(bytes[index]))") }
                let key = try parseString()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after the key \(JSONValue.quote(key))") }
                index += 1
                skipSpace()
                members.append((key, try parseValue()))
                skipSpace()
                guard index < bytes.count else { throw fail("the text ends inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw fail("expected ',' or '}' in an object, found \(describe(bytes[index]))")
            }
        }

        mutating func parseArray() throws -> JSONValue {
            try nest()
            defer { depth -= 1 }
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try parseValue())
                skipSpace()
                guard index < bytes.count else { throw fail("the text ends inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw fail("expected ',' or ']' in an array, found \(describe(bytes[index]))")
            }
        }

        mutating func parseNumber() throws -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            guard index < bytes.count else { throw fail("a number ends after '-'") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { throw fail("a number starts with 0") }
            } else if digits() == 0 {
                throw fail("expected a digit")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { throw fail("expected a digit after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { throw fail("expected a digit in the exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func parseString() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws {
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while true {
                guard index < bytes.count else { throw fail("the text ends inside a string") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw fail("a control character (\(String(format: "0x%02x", byte))) inside a string must be escaped") }
                if byte != UInt8(ascii: "\\") { index += 1; continue }
                try flush(index)
                index += 1
                guard index < bytes.count else { throw fail("the text ends inside a string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("a lone high surrogate \\u\(String(code, radix: 16))")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a high surrogate without its low half") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("a lone low surrogate \\u\(String(code, radix: 16))")
                    }
                    scalars.append(Unicode.Scalar(code)!)
                default:
                    index -= 1
                    throw fail("unknown escape \\\(Character(Unicode.Scalar(escape)))")
                }
                run = index
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - index >= 4, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                  bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
                throw fail("expected four hex digits after \\u")
            }
            index += 4
            return value
        }
    }
}
