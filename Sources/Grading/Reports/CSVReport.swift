import Foundation

/// The gradebook as CSV (RFC 4180): one row per submission, one column per stage, for
/// spreadsheets and LMS imports. The first column is the submission's slot (from its folder,
/// as in the other reports' file names), the learner's name beside it.
///
/// Learner names, paths and summaries come from learners, and a spreadsheet runs a cell that
/// starts with `=`, `+`, `-` or `@` as a formula (CSV injection), so such text fields get a
/// leading `'`, which spreadsheets show as text and do not display.
public enum CSVReport {
    /// Header plus one row per submission, CRLF line endings as RFC 4180 says.
    public static func csv(_ results: [SubmissionResult]) -> String {
        let stages = stageColumns(results)
        var rows = [["submission", "learner", "path"] + stages.map { "stage \($0.position): \($0.name)" }
            + ["total", "max", "passed", "summary", "content hash", "graded at"]]
        for (result, slot) in zip(results, ReportFileNames.slots(for: results)) {
            var row = [slot, text(result.learner), text(result.path)]
            for column in stages {
                let stage = result.stages.first { $0.position == column.position && $0.id == column.id }
                row.append(stage.map { SubmissionResult.format($0.score) } ?? "")
            }
            row += [SubmissionResult.format(result.score), SubmissionResult.format(result.maxScore),
                    result.passed ? "yes" : "no", text(result.summary), text(result.contentHash),
                    ReportDates.iso8601(result.startedAt)]
            rows.append(row)
        }
        // The header is ours, but stage names come from manifests: guard them too.
        rows[0] = rows[0].map(text)
        return rows.map { $0.map(quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A stage column: the stages of every submission, in position order, each once. A
    /// submission that did not build may have no stages at all; its cells stay empty.
    struct StageColumn: Equatable {
        let position: Int
        let id: String
        let name: String
    }

    static func stageColumns(_ results: [SubmissionResult]) -> [StageColumn] {
        var columns: [StageColumn] = []
        for result in results {
            for stage in result.stages where !columns.contains(where: { $0.position == stage.position && $0.id == stage.id }) {
                columns.append(StageColumn(position: stage.position, id: stage.id, name: stage.name))
            }
        }
        return columns.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    /// Neutralises a text field a spreadsheet would evaluate. Tab and carriage return lead
    /// the same attack in some spreadsheets, so they are guarded as well.
    static func text(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        return "'" + field
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, quotes doubled.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
