import CourseEngine
import Foundation

/// Writes the reports of one grading run into a report directory, under names that stay the
/// same from run to run so CI configurations and LMS uploads can point at them:
///
/// ```
/// junit.xml                              junit
/// gradescope/<slot>/results.json         gradescope
/// results.csv                            csv
/// results.json                           json
/// html/<slot>.html, html/index.html      html
/// ```
///
/// `<slot>` comes from the submission's folder (`ReportFileNames.slots(for:)`), never from
/// the learner name a submission gives itself.
///
/// All or nothing: `checkWritable(formats:)` proves every place a report goes can be
/// written before any grading starts; `write` makes the whole new set in a staging folder
/// inside the report folder, then puts each format in place with one atomic rename (a
/// folder swapped whole), so a failure while writing leaves the previous reports as they
/// were, and a reader sees each format either all old or all new. Reports of earlier runs
/// that belong to no submission of this run go with the folder they were in (the gradebook
/// keeps the history). Formats not asked for are left alone.
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
    /// Errors are `CourseError`s a person can act on.
    @discardableResult
    public func write(_ results: [SubmissionResult], formats: [ReportFormat]) throws -> [URL] {
        let formats = Set(formats).sorted()
        try checkWritable(formats: formats)
        let staging = try ReportStaging(in: directory)
        defer { staging.remove() }
        let slots = ReportFileNames.slots(for: results)
        var written: [String] = []
        func put(_ text: String, _ path: String) throws {
            try staging.put(text, path)
            written.append(path)
        }
        for format in formats {
            switch format {
            case .junit:
                try put(JUnitReport.xml(results, exercise: exercise), format.reportName)
            case .gradescope:
                // Made even for an empty class, so it replaces the folder of a previous run.
                try staging.makeFolder(format.reportName)
                for (result, slot) in zip(results, slots) {
                    try put(try Self.render("the Gradescope report of \(slot)") { try GradescopeReport.json(result) },
                            "gradescope/\(slot)/results.json")
                }
            case .csv:
                try put(CSVReport.csv(results), format.reportName)
            case .json:
                try put(try Self.render("the JSON report") { try JSONReport.json(results, exercise: exercise, generatedAt: generatedAt) },
                        format.reportName)
            case .html:
                for (result, slot) in zip(results, slots) {
                    try put(HTMLReport.submissionPage(result), "html/\(slot).html")
                }
                try put(HTMLReport.classSummary(results, exercise: exercise, generatedAt: generatedAt), "html/index.html")
            }
        }
        try staging.publish(formats.map(\.reportName))
        return written.map { directory.appendingPathComponent($0) }
    }

    /// A report's text, or a `CourseError` saying which report could not be made and why in
    /// words (an encoder's error describes itself in terms of coding paths).
    static func render(_ what: String, _ body: () throws -> String) throws -> String {
        do {
            return try body()
        } catch is EncodingError {
            throw CourseError("cannot write the reports: \(what) holds a number JSON cannot represent (infinite or not a number)")
        } catch let error as CourseError {
            throw error
        } catch {
            throw CourseError("cannot write the reports: \(what) could not be made")
        }
    }
}

extension ReportFormat {
    /// The file or folder in the report folder that holds this format's reports.
    var reportName: String {
        switch self {
        case .junit: return "junit.xml"
        case .gradescope: return "gradescope"
        case .csv: return "results.csv"
        case .json: return "results.json"
        case .html: return "html"
        }
    }

    /// Whether `reportName` is a folder (replaced whole) rather than a file.
    var isFolder: Bool { self == .gradescope || self == .html }
}
