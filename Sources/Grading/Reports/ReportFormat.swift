import Foundation

/// The report formats `course grade --format` accepts. The raw values are the names on the
/// command line, which scripts rely on.
public enum ReportFormat: String, CaseIterable, Sendable, Comparable {
    case junit, gradescope, csv, json, html

    /// Parses a comma-separated list ("junit,csv"), or "all". Unknown names are a usage
    /// error that names the valid ones, not a silently missing report.
    public static func parseList(_ text: String) throws(ReportFormatError) -> [ReportFormat] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if names == ["all"] { return allCases }
        var formats: [ReportFormat] = []
        for name in names where !name.isEmpty {
            guard let format = ReportFormat(rawValue: name) else { throw .unknown(name) }
            if !formats.contains(format) { formats.append(format) }
        }
        if formats.isEmpty { throw .empty }
        return formats
    }

    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// A `--format` value that names no report.
public enum ReportFormatError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case empty

    public var description: String {
        let valid = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unknown(let name): return "unknown report format '\(name)' (valid: \(valid), or all)"
        case .empty: return "no report format given (valid: \(valid), or all)"
        }
    }
}
