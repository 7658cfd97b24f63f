import CourseEngine
import Foundation
import Grading

extension ReportFormat {
    /// `--format` text as the CLI reports a mistake in it.
    static func parseOption(_ text: String) throws -> [ReportFormat] {
        do {
            return try ReportFormat.parseList(text)
        } catch {
            throw CourseError("\(error)", hint: "formats: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
