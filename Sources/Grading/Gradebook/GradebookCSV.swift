import Foundation

extension Gradebook {
    /// The class table as CSV, for `course gradebook --csv` and spreadsheets or LMS imports.
    public func csv(exercise: String? = nil) throws -> String {
        GradebookCSV.render(try classTable(exercise: exercise))
    }
}

/// The CSV layout of the class table: RFC 4180 (a header line, CRLF line ends, fields
/// quoted when they hold a comma, a quote or a line break, quotes doubled), with one
/// addition: learner names, paths and summaries are written by learners or their programs,
/// and a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so such
/// a field gets a leading `'` (the OWASP advice against CSV injection; tab and carriage
/// return are treated the same way).
enum GradebookCSV {
    static let header = ["learner", "path", "exercise", "score", "max_score", "passed",
                         "stages_passed", "stages_total", "summary", "graded_at"]

    static func render(_ rows: [GradebookRow]) -> String {
        var lines = [line(header)]
        for row in rows {
            lines.append(line([
                row.learner, row.path, row.exerciseID,
                SubmissionResult.format(row.score), SubmissionResult.format(row.maxScore),
                row.passed ? "true" : "false",
                String(row.stagesPassed), String(row.stagesTotal),
                row.summary, timestamp(row.gradedAt),
            ]))
        }
        return lines.joined()
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// ISO 8601 in UTC to the second, which spreadsheets parse and sort.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
