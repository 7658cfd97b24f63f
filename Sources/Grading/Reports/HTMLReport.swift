import Foundation

/// HTML reports: a page per submission for the learner and the instructor, and a class
/// summary that links to them.
///
/// Pages are self-contained (inline CSS, no scripts, no fonts or images from elsewhere) so
/// they can be mailed, attached to an LMS or opened from a CI artefact offline. Everything
/// that came from a learner's program goes through `MarkupEscaping`, and only HTML 4
/// elements are used, so `xmllint --html` can check every page.
public enum HTMLReport {
    /// The page for one submission.
    public static func submissionPage(_ result: SubmissionResult) -> String {
        HTMLSubmissionPage(result: result).render()
    }

    /// The class summary: submissions linked to their pages (named by
    /// `ReportFileNames.slots(for:)`, as `ReportWriter` writes them), the score distribution
    /// and the pass rate of every check.
    public static func classSummary(_ results: [SubmissionResult], exercise: String, generatedAt: Date) -> String {
        HTMLClassSummaryPage(results: results, exercise: exercise, generatedAt: generatedAt).render()
    }

    /// The document around a page's body.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(text(title))</title>
        <style>
        \(HTMLStyleSheet.css)
        </style>
        </head>
        <body>
        <div class="page">
        \(body)
        </div>
        </body>
        </html>

        """
    }

    /// Element content, escaped.
    static func text(_ raw: String) -> String { MarkupEscaping.text(raw) }

    /// An attribute value, escaped.
    static func attribute(_ raw: String) -> String { MarkupEscaping.attribute(raw) }

    /// A coloured label: `passed`, `failed`, `error`, `not run`, `hidden`.
    static func badge(_ label: String, kind: String) -> String {
        "<span class=\"badge \(attribute(kind))\">\(text(label))</span>"
    }

    /// A duration people read at a glance: "85 ms", "2.40 s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0 ms" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        return String(format: "%.2f s", seconds)
    }

    /// Percent of `part` in `whole`, 0 when there is no whole.
    static func percent(_ part: Double, of whole: Double) -> Double {
        guard whole > 0, part.isFinite else { return 0 }
        return min(100, max(0, part / whole * 100))
    }

    /// The CSS class of a check status.
    static func kind(_ status: CheckResult.Status) -> String {
        switch status {
        case .passed: return "passed"
        case .failed: return "failed"
        case .error: return "error"
        case .notRun: return "notrun"
        }
    }

    /// The CSS class of a stage status.
    static func kind(_ status: StageResult.Status) -> String {
        switch status {
        case .passed: return "passed"
        case .failed: return "failed"
        case .notRun: return "notrun"
        }
    }
}
