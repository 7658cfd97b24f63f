import Foundation

/// The class summary: how the class did at a glance (pass rate, score distribution in
/// buckets of 10%), which checks most learners fail, and a table linking every submission's
/// page, by folder, with the learner's name beside it.
struct HTMLClassSummaryPage {
    let results: [SubmissionResult]
    let exercise: String
    let generatedAt: Date

    func render() -> String {
        let body = [header(), submissions(), distribution(), checkPassRates()].joined(separator: "\n")
        return HTMLReport.document(title: "\(exercise) · class summary", body: body)
    }

    private func header() -> String {
        let passed = results.filter(\.passed).count
        let meanPercent = results.isEmpty ? 0
            : results.reduce(0) { $0 + HTMLReport.percent($1.score, of: $1.maxScore) } / Double(results.count)
        let passRate = results.isEmpty ? 0 : Double(passed) / Double(results.count) * 100
        let stats = [
            ("Submissions", String(results.count)),
            ("Passed every stage", "\(passed) (\(Int(passRate.rounded()))%)"),
            ("Mean score", "\(Int(meanPercent.rounded()))%"),
            ("Did not build or start", String(results.filter { $0.startFailure != nil }.count)),
        ]
        let cards = stats.map { "<div class=\"stat\"><div class=\"value\">\(HTMLReport.text($0.1))</div><div class=\"name\">\($0.0)</div></div>" }
        return """
        <div class="card">
        <div class="crumbs">Class summary · generated \(HTMLReport.text(ReportDates.iso8601(generatedAt)))\(modes())</div>
        <h1>\(HTMLReport.text(exercise))</h1>
        </div>
        <div class="stats">
        \(cards.joined(separator: "\n"))
        </div>
        """
    }

    /// How the run graded its stages, when every result says the same; both when mixed
    /// (results kept by --only-new from an earlier run may differ).
    private func modes() -> String {
        let modes = Set(results.map(\.mode))
        guard !modes.isEmpty else { return "" }
        if modes.count == 1 { return " · " + HTMLReport.text(modes.first!.explanation) }
        return " · " + HTMLReport.text("some submissions graded staged, some with every stage (--all-stages)")
    }

    private func submissions() -> String {
        let slots = ReportFileNames.slots(for: results)
        var rows = ["<tr><th>Submission</th><th>Learner</th><th class=\"num\">Score</th><th>Progress</th><th>Result</th><th>Summary</th></tr>"]
        for (result, slot) in zip(results, slots) {
            let percent = HTMLReport.percent(result.score, of: result.maxScore)
            let verdict = result.passed ? HTMLReport.badge("passed", kind: "passed") : HTMLReport.badge("failed", kind: "failed")
            rows.append("""
            <tr><td class="name"><a href="\(HTMLReport.attribute(slot)).html">\(HTMLReport.text(ReportFileNames.folderName(result.path)))</a></td>\
            <td class="name">\(HTMLReport.text(result.learner))</td>\
            <td class="num">\(SubmissionResult.points(result.score, of: result.maxScore))</td>\
            <td class="nowrap"><div class="meter small\(percent < 50 ? " low" : "")"><div class="fill" style="width: \(Int(percent.rounded()))%"></div></div> \(Int(percent.rounded()))%</td>\
            <td>\(verdict)</td><td class="summary">\(HTMLReport.text(result.summary))</td></tr>
            """)
        }
        if results.isEmpty { rows.append("<tr><td colspan=\"6\" class=\"muted\">No submissions.</td></tr>") }
        return """
        <h2>Submissions</h2>
        <div class="card">
        <table class="grid">
        \(rows.joined(separator: "\n"))
        </table>
        </div>
        """
    }

    /// Ten buckets of 10% each; a perfect score falls in the last, 90–100%.
    static func buckets(_ results: [SubmissionResult]) -> [Int] {
        var counts = Array(repeating: 0, count: 10)
        for result in results {
            let percent = HTMLReport.percent(result.score, of: result.maxScore)
            counts[min(9, Int(percent / 10))] += 1
        }
        return counts
    }

    private func distribution() -> String {
        let counts = Self.buckets(results)
        let tallest = max(1, counts.max() ?? 1)
        let columns = counts.enumerated().map { index, count in
            let height = Int((Double(count) / Double(tallest) * 140).rounded())
            let label = index == 9 ? "90–100%" : "\(index * 10)–\(index * 10 + 9)%"
            return """
            <div class="column"><div class="count">\(count)</div><div class="bar" style="height: \(height)px"></div><div class="label">\(label)</div></div>
            """
        }
        return """
        <h2>Score distribution</h2>
        <div class="card">
        <div class="histogram">
        \(columns.joined(separator: "\n"))
        </div>
        </div>
        """
    }

    /// One row per check of the exercise, in stage order.
    struct CheckRate: Equatable {
        let stagePosition: Int
        let stageName: String
        let hidden: Bool
        let checkName: String
        var passed: Int
    }

    /// How many submissions passed each check. The denominator is the whole class: a
    /// submission that never reached a check did not pass it.
    static func checkRates(_ results: [SubmissionResult]) -> [CheckRate] {
        var rates: [CheckRate] = []
        var index: [String: Int] = [:]
        for result in results {
            for stage in result.stages {
                for check in stage.checks {
                    let key = "\(stage.position)\u{0}\(stage.id)\u{0}\(check.id)"
                    if index[key] == nil {
                        index[key] = rates.count
                        rates.append(CheckRate(stagePosition: stage.position, stageName: stage.name, hidden: stage.hidden,
                                               checkName: check.name, passed: 0))
                    }
                    if check.status == .passed, let at = index[key] { rates[at].passed += 1 }
                }
            }
        }
        return rates.enumerated().sorted { ($0.element.stagePosition, $0.offset) < ($1.element.stagePosition, $1.offset) }.map(\.element)
    }

    private func checkPassRates() -> String {
        let rates = Self.checkRates(results)
        var rows = ["<tr><th>Stage</th><th>Check</th><th class=\"num\">Passed</th><th>Pass rate</th></tr>"]
        for rate in rates {
            let percent = results.isEmpty ? 0 : Double(rate.passed) / Double(results.count) * 100
            let hidden = rate.hidden ? " " + HTMLReport.badge("hidden", kind: "hidden") : ""
            rows.append("""
            <tr><td>\(rate.stagePosition) · \(HTMLReport.text(rate.stageName))\(hidden)</td><td>\(HTMLReport.text(rate.checkName))</td>\
            <td class="num">\(rate.passed)/\(results.count)</td>\
            <td class="nowrap"><div class="meter small\(percent < 50 ? " low" : "")"><div class="fill" style="width: \(Int(percent.rounded()))%"></div></div> \(Int(percent.rounded()))%</td></tr>
            """)
        }
        if rates.isEmpty { rows.append("<tr><td colspan=\"4\" class=\"muted\">No check ran.</td></tr>") }
        return """
        <h2>Pass rate per check</h2>
        <div class="card">
        <table class="grid">
        \(rows.joined(separator: "\n"))
        </table>
        </div>
        """
    }
}
