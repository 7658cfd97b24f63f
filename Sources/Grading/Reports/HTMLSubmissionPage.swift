import Foundation

/// The page for one submission: who, how many points, whether it ran sandboxed, then every
/// stage and check, with what was sent, received and expected for each failure, and the
/// program's own output.
struct HTMLSubmissionPage {
    let result: SubmissionResult

    func render() -> String {
        var body = [header()]
        if let failure = result.startFailure {
            body.append("""
            <div class="card stage failed">
            <div class="stage-head">\(HTMLReport.badge("error", kind: "error")) <h3>\(HTMLReport.text(failure.sentence))</h3></div>
            <pre>\(HTMLReport.text(failure.reason))</pre>
            </div>
            """)
        }
        body.append("<h2>Stages</h2>")
        if result.stages.isEmpty {
            body.append("<p class=\"muted\">No stage ran.</p>")
        }
        body += result.stages.map(stage)
        body.append(output())
        return HTMLReport.document(title: "\(ReportFileNames.folderName(result.path)) · \(result.exerciseID)", body: body.joined(separator: "\n"))
    }

    private func header() -> String {
        let percent = HTMLReport.percent(result.score, of: result.maxScore)
        let verdict = result.passed ? HTMLReport.badge("passed", kind: "passed big") : HTMLReport.badge("failed", kind: "failed big")
        let sandbox = (result.sandbox.enabled ? "sandboxed" : "not sandboxed")
            + (result.sandbox.note.isEmpty ? "" : " (\(result.sandbox.note))")
        var facts: [(String, String)] = [
            ("Learner", result.learner),
            ("Exercise", result.exerciseID),
            ("Submission", result.path),
            ("Graded at", ReportDates.iso8601(result.startedAt)),
            ("Duration", HTMLReport.duration(result.durationSeconds)),
            ("Seed", String(result.seed)),
            ("Stages", result.mode.explanation),
            ("Sandbox", sandbox),
            ("Content hash", result.contentHash),
        ]
        for key in result.versions.keys.sorted() {
            facts.append(("Version of \(key)", result.versions[key] ?? ""))
        }
        let rows = facts.map { "<tr><th>\(HTMLReport.text($0.0))</th><td class=\"mono\">\(HTMLReport.text($0.1))</td></tr>" }
        return """
        <div class="card">
        <div class="crumbs"><a href="index.html">Class summary</a> · \(HTMLReport.text(result.exerciseID))</div>
        <h1>\(HTMLReport.text(ReportFileNames.folderName(result.path)))</h1>
        <div class="headline"><span class="score">\(SubmissionResult.format(result.score)) / \(SubmissionResult.format(result.maxScore)) points</span> \(verdict) <span class="muted">\(HTMLReport.text(result.summary))</span></div>
        <div class="meter\(percent < 50 ? " low" : "")"><div class="fill" style="width: \(Int(percent.rounded()))%"></div></div>
        <table class="facts">
        \(rows.joined(separator: "\n"))
        </table>
        </div>
        """
    }

    private func stage(_ stage: StageResult) -> String {
        let kind = HTMLReport.kind(stage.status)
        let label = stage.status == .notRun ? "not run" : stage.status.rawValue
        let hidden = stage.hidden ? " " + HTMLReport.badge("hidden", kind: "hidden") : ""
        var parts = ["""
        <div class="card stage \(kind)">
        <div class="stage-head">\(HTMLReport.badge(label, kind: kind)) <h3>Stage \(stage.position) · \(HTMLReport.text(stage.name))</h3>\(hidden)<span class="points">\(SubmissionResult.points(stage.score, of: stage.maxScore)) points · \(HTMLReport.duration(stage.durationSeconds))</span></div>
        """]
        if stage.status == .notRun {
            parts.append("<p class=\"muted\">\(HTMLReport.text(result.whyNotRun(stage)))</p>")
        }
        if stage.hidden {
            parts.append("<p class=\"muted\">A hidden stage: it counts in the score, and its inputs are not shown.</p>")
        }
        if !stage.checks.isEmpty {
            parts.append("<table class=\"grid\">")
            parts.append("<tr><th class=\"status\">Status</th><th>Check</th><th class=\"num\">Points</th><th class=\"num\">Time</th></tr>")
            for check in stage.checks { parts.append(row(check, in: stage)) }
            parts.append("</table>")
        }
        parts.append("</div>")
        return parts.joined(separator: "\n")
    }

    private func row(_ check: CheckResult, in stage: StageResult) -> String {
        let kind = HTMLReport.kind(check.status)
        let label = check.status == .notRun ? "not run" : check.status.rawValue
        var html = """
        <tr><td>\(HTMLReport.badge(label, kind: kind))</td><td>\(HTMLReport.text(check.name))</td><td class="num">\(SubmissionResult.points(check.score, of: check.maxScore))</td><td class="num">\(HTMLReport.duration(check.durationSeconds))</td></tr>
        """
        if let failure = check.failure, check.status == .failed || check.status == .error {
            html += "\n<tr><td></td><td colspan=\"3\">\(details(failure, error: check.status == .error, output: check.programOutput))</td></tr>"
        }
        return html
    }

    /// The failure as a learner reads it: the one-line message, then each part the check
    /// recorded. For a hidden stage the model holds only the generic message, and nothing
    /// more is added here.
    private func details(_ failure: CheckFailure, error: Bool, output: String?) -> String {
        var parts = ["<div class=\"failure\(error ? " error" : "")\">", "<p class=\"message\">\(HTMLReport.text(failure.message))</p>"]
        for (label, value) in [("Sent", failure.sent), ("Received", failure.received), ("Expected", failure.expected)] {
            guard let value else { continue }
            parts.append("<div class=\"label\">\(label)</div>")
            parts.append("<pre>\(value.isEmpty ? "<span class=\"muted\">(empty)</span>" : HTMLReport.text(value))</pre>")
        }
        if let hint = failure.hint {
            parts.append("<p class=\"hint\"><strong>Hint:</strong> \(HTMLReport.text(hint))</p>")
        }
        if let output {
            parts.append("<div class=\"label\">The program's output meanwhile</div>")
            parts.append("<pre>\(HTMLReport.text(output))</pre>")
        }
        parts.append("</div>")
        return parts.joined(separator: "\n")
    }

    private func output() -> String {
        let log = result.programOutput
        var note = "\(log.totalBytes) bytes"
        if log.omittedBytes > 0 { note += ", \(log.omittedBytes) omitted in the middle" }
        let text = log.text
        return """
        <h2>Program output</h2>
        <div class="card">
        <p class="muted">Standard output and error, interleaved: \(note).</p>
        <pre>\(text.isEmpty ? "<span class=\"muted\">(no output)</span>" : HTMLReport.text(text))</pre>
        </div>
        """
    }
}
