import Foundation

/// The full result model as JSON, for tools that want everything (dashboards, re-imports):
/// the same `Codable` model the grader holds, so nothing is lost or renamed on the way.
/// Dates are ISO 8601, keys sorted and the output pretty printed, so reports diff cleanly.
public enum JSONReport {
    /// A class report's top level.
    public struct ClassReport: Codable, Equatable, Sendable {
        public var exercise: String
        public var generatedAt: Date
        public var submissions: [SubmissionResult]

        public init(exercise: String, generatedAt: Date, submissions: [SubmissionResult]) {
            self.exercise = exercise
            self.generatedAt = generatedAt
            self.submissions = submissions
        }
    }

    /// One submission.
    public static func json(_ result: SubmissionResult) throws -> String {
        try encode(result)
    }

    /// A class: `{"exercise", "generatedAt", "submissions": [...]}`.
    public static func json(_ results: [SubmissionResult], exercise: String, generatedAt: Date) throws -> String {
        try encode(ClassReport(exercise: exercise, generatedAt: generatedAt, submissions: results))
    }

    /// A decoder that reads what these reports write.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
