import Foundation

/// Writes the reports of one grading run into a report directory, under names that stay the
/// same from run to run so CI configurations and LMS uploads can point at them:
///
/// ```
/// junit.xml                        junit
/// gradescope/<learner>/results.json gradescope
/// results.csv                      csv
/// results.json                     json
/// html/<learner>.html, html/index.html  html
/// ```
///
/// `<learner>` is `ReportFileNames.stems(for:)`. Every file is written atomically, and the
/// class summary last, so a killed run never leaves a half-written file or an index linking
/// to pages that are not there.
public struct ReportWriter: Sendable {
    public let directory: URL
    public let exercise: String
    public let generatedAt: Date

    public init(directory: URL, exercise: String, generatedAt: Date = Date()) {
        self.directory = directory
        self.exercise = exercise
        self.generatedAt = generatedAt
    }

    /// Writes each format asked for, in `ReportFormat` order; returns the files written.
    @discardableResult
    public func write(_ results: [SubmissionResult], formats: [ReportFormat]) throws -> [URL] {
        let stems = ReportFileNames.stems(for: results.map(\.learner))
        var written: [URL] = []
        func put(_ text: String, _ path: String) throws {
            let url = directory.appendingPathComponent(path)
            try AtomicFile.write(text, to: url)
            written.append(url)
        }
        for format in Set(formats).sorted() {
            switch format {
            case .junit:
                try put(JUnitReport.xml(results, exercise: exercise), "junit.xml")
            case .gradescope:
                for (result, stem) in zip(results, stems) {
                    try put(GradescopeReport.json(result), "gradescope/\(stem)/results.json")
                }
            case .csv:
                try put(CSVReport.csv(results), "results.csv")
            case .json:
                try put(JSONReport.json(results, exercise: exercise, generatedAt: generatedAt), "results.json")
            case .html:
                for (result, stem) in zip(results, stems) {
                    try put(HTMLReport.submissionPage(result), "html/\(stem).html")
                }
                try put(HTMLReport.classSummary(results, exercise: exercise, generatedAt: generatedAt), "html/index.html")
            }
        }
        return written
    }
}
