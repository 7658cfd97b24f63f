import CourseEngine
import Foundation
import Yams

/// Reads a YAML mapping field by field, so every mistake in a manifest is reported with the
/// file and line it is on, and unknown keys (typos) are errors rather than silently ignored.
struct YAMLFields {
    let file: String
    let mapping: Node.Mapping
    let line: Int?

    /// Parses `text` as a YAML document whose top level is a mapping.
    static func parse(_ text: String, file: String) throws -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw CourseError("not valid YAML: \(Self.describe(error))", file: file, line: Self.line(of: error))
        } catch {
            throw CourseError("not valid YAML", file: file)
        }
        guard let node else { return YAMLFields(file: file, mapping: Node.Mapping([]), line: 1) }
        return try YAMLFields(node, file: file, what: "the manifest")
    }

    init(file: String, mapping: Node.Mapping, line: Int?) {
        self.file = file
        self.mapping = mapping
        self.line = line
    }

    init(_ node: Node, file: String, what: String) throws {
        guard let mapping = node.mapping else {
            throw CourseError("\(what) must be a mapping of keys to values", file: file, line: node.line)
        }
        self.init(file: file, mapping: mapping, line: node.line)
    }

    /// Throws for any key not in `known`, suggesting the nearest.
    func allowOnly(_ known: [String]) throws {
        for key in mapping.keys {
            guard let name = key.string, known.contains(name) else {
                let name = key.string ?? "?"
                let near = Suggest.nearest(String(name.prefix(64)), among: known)
                throw CourseError("unknown key '\(LearnerText.excerpt(name))'", file: file, line: key.line,
                                  hint: near.isEmpty ? "known keys: \(known.joined(separator: ", "))" : "did you mean '\(near[0])'?")
            }
        }
    }

    func node(_ key: String) -> Node? { mapping[key] }

    func string(_ key: String) throws -> String? {
        guard let node = mapping[key] else { return nil }
        guard case .scalar(let scalar) = node else {
            throw CourseError("'\(key)' must be text", file: file, line: node.line)
        }
        return scalar.string
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw CourseError("missing '\(key)'", file: file, line: line)
        }
        return value
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.float ?? node.int.map(Double.init), range.contains(value) else {
            throw CourseError("'\(key)' must be a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)) (got '\(LearnerText.excerpt(node.string ?? "?"))')",
                              file: file, line: node.line)
        }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.bool else {
            throw CourseError("'\(key)' must be true or false (got '\(LearnerText.excerpt(node.string ?? "?"))')", file: file, line: node.line)
        }
        return value
    }

    func list(_ key: String) throws -> [Node]? {
        guard let node = mapping[key] else { return nil }
        guard case .sequence(let sequence) = node else {
            throw CourseError("'\(key)' must be a list", file: file, line: node.line)
        }
        return Array(sequence)
    }

    func stringList(_ key: String) throws -> [String]? {
        try list(key)?.map { item in
            guard let text = item.string else { throw CourseError("'\(key)' must be a list of text", file: file, line: item.line) }
            return text
        }
    }

    func fields(_ key: String) throws -> YAMLFields? {
        guard let node = mapping[key] else { return nil }
        return try YAMLFields(node, file: file, what: "'\(key)'")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    /// What Yams says went wrong, without the part of the document it quotes: its own
    /// descriptions include a snippet of the text, or (for duplicate keys) all of it, and the
    /// document may be a learner's. libyaml's problem and context are fixed phrases ("found
    /// unexpected end of stream", "while scanning a quoted scalar"); they are bounded and
    /// escaped all the same. Keys are quoted as short excerpts.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            let phrase = context.map { "\(problem) \($0.text)" } ?? problem
            return LearnerText.excerpt(phrase, limit: 120)
        case .reader(let problem, let offset, _, _):
            return LearnerText.excerpt(problem, limit: 120) + (offset.map { " at character \($0 + 1)" } ?? "")
        case .duplicatedKeysInMapping(let duplicates, _):
            let keys = duplicates.sorted().prefix(3).map { "'\(LearnerText.excerpt($0))'" }
            return "duplicate key\(duplicates.count == 1 ? "" : "s") " + keys.joined(separator: ", ") + (duplicates.count > 3 ? ", …" : "")
        case .dataCouldNotBeDecoded:
            return "the text could not be decoded"
        default:
            return "the YAML library could not read it"
        }
    }
}

extension Node {
    /// 1-based line of the node in its file.
    var line: Int? { mark?.line }
}
