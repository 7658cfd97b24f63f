import CourseEngine
import Foundation
import Grading

/// The report formats `course grade --format` accepts.
struct ReportFormats: OptionSet {
    let rawValue: Int
    static let junit = ReportFormats(rawValue: 1)
    static let gradescope = ReportFormats(rawValue: 2)
    static let csv = ReportFormats(rawValue: 4)
    static let json = ReportFormats(rawValue: 8)
    static let html = ReportFormats(rawValue: 16)
    static let names: [String: ReportFormats] = ["junit": .junit, "gradescope": .gradescope, "csv": .csv, "json": .json, "html": .html]

    static func parse(_ text: String) throws -> ReportFormats {
        var formats: ReportFormats = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let format = names[name] else {
                throw CourseError("unknown report format '\(name)'", hint: "formats: \(names.keys.sorted().joined(separator: ", "))")
            }
            formats.insert(format)
        }
        return formats
    }
}

/// Writes the reports of a grading run.
enum ReportOutput {
    static func write(_ results: [SubmissionResult], exercise: ExerciseManifest, formats: ReportFormats, to folder: URL) throws {
        if formats.contains(.json) {
            let data = try JSONEncoder.course.encode(ClassResults(exercise: exercise.id, generatedAt: Date(), submissions: results))
            try writeAtomically(data, to: folder.appendingPathComponent("results.json"))
        }
    }

    struct ClassResults: Encodable {
        let exercise: String
        let generatedAt: Date
        let submissions: [SubmissionResult]
    }
}
