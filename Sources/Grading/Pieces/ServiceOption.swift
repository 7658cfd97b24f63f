import Foundation

/// One option of a service's `course serve NAME`, declared by the piece; the one serve
/// command parses and documents every service's options from these.
public struct ServiceOption: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `--name` alone.
        case flag
        /// `--name VALUE`, any text.
        case text
        /// `--name N`, an integer in the range.
        case integer(ClosedRange<Int>)
        /// `--name X`, a number in the range.
        case number(ClosedRange<Double>)
        /// `--name 50ms` (ms, s or m; a bare number is milliseconds), up to ten minutes.
        case duration
        /// `--name VALUE`, repeatable.
        case list
    }

    public let name: String
    public let kind: Kind
    /// What the value is called in help (`N`, `PATH`).
    public let valueName: String
    public let help: String
    /// A variable read when the option is not given (`--db` falls back to `$DATABASE_PATH`):
    /// a reference run by the grader gets its settings the way a learner's program does.
    public let environment: String?
    /// Left out of help (a mutant's `--flaw`).
    public let hidden: Bool

    public init(_ name: String, _ kind: Kind, valueName: String = "VALUE", help: String, environment: String? = nil, hidden: Bool = false) {
        self.name = name
        self.kind = kind
        self.valueName = valueName
        self.help = help
        self.environment = environment
        self.hidden = hidden
    }
}

/// A service's option values as given on the command line (or through their variables),
/// already checked against the options' kinds.
public struct ServiceOptionValues: Sendable, Equatable {
    private var values: [String: [String]]

    public init(_ values: [String: [String]] = [:]) {
        self.values = values
    }

    public func text(_ name: String) -> String? { values[name]?.last }
    public func list(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { values[name] != nil }
    public func integer(_ name: String) -> Int? { text(name).flatMap { Int($0) } }
    public func number(_ name: String) -> Double? { text(name).flatMap { Double($0) } }
    /// Seconds.
    public func duration(_ name: String) -> Double? { text(name).flatMap(ServiceOption.seconds) }

    /// Parses `arguments` (`--port 9000 --latency 50ms`, also `--latency=50ms`) against
    /// `options`; `--port` and `--quiet` (print nothing as it runs) are every service's. Unknown options, missing or malformed values
    /// throw a `ServiceOptionError` saying which and why.
    public static func parse(_ arguments: [String], options: [ServiceOption],
                             environment: [String: String] = [:]) throws -> (port: Int?, values: ServiceOptionValues) {
        let all = options + [ServiceOption("port", .integer(0...65535), valueName: "N", help: ""),
                             ServiceOption("quiet", .flag, help: "")]
        var values: [String: [String]] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ServiceOptionError("unexpected argument '\(argument)' (options start with --)")
            }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = all.first(where: { $0.name == name }) else {
                let known = all.filter { !$0.hidden }.map { "--\($0.name)" }.joined(separator: ", ")
                throw ServiceOptionError("unknown option '--\(name)' (options: \(known))")
            }
            if option.kind == .flag {
                if inline != nil { throw ServiceOptionError("--\(name) takes no value") }
                values[name, default: []].append("true")
                continue
            }
            let value: String
            if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw ServiceOptionError("--\(name) needs a value (\(option.valueName))") }
                value = arguments[index]
                index += 1
            }
            try option.validate(value)
            values[name, default: []].append(value)
        }
        for option in options where values[option.name] == nil {
            if let variable = option.environment, let value = environment[variable], !value.isEmpty {
                do {
                    try option.validate(value)
                } catch let error as ServiceOptionError {
                    throw ServiceOptionError("$\(variable) (for --\(option.name)): \(error.description)")
                }
                values[option.name] = [value]
            }
        }
        let port = values.removeValue(forKey: "port")?.last.flatMap { Int($0) }
        return (port, ServiceOptionValues(values))
    }
}

extension ServiceOption {
    /// Throws when `value` is not one this option takes.
    func validate(_ value: String) throws {
        switch kind {
        case .flag, .text, .list:
            if value.isEmpty { throw ServiceOptionError("--\(name) must not be empty") }
        case .integer(let range):
            guard let number = Int(value), range.contains(number) else {
                throw ServiceOptionError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(value)')")
            }
        case .number(let range):
            guard let number = Double(value), range.contains(number) else {
                throw ServiceOptionError("--\(name) must be a number from \(format(range.lowerBound)) to \(format(range.upperBound)) (got '\(value)')")
            }
        case .duration:
            guard let seconds = Self.seconds(value), seconds >= 0, seconds <= 600 else {
                throw ServiceOptionError("--\(name) must be a duration such as 50ms, 1.5s or 2m, at most 10m (got '\(value)')")
            }
        }
    }

    /// `50ms`, `1.5s`, `2m` or a bare number of milliseconds, in seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(text).map { $0 / 1000 }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

public struct ServiceOptionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
