import Foundation

extension SubmissionResult {
    /// The wire form between a grading worker and `course grade` (and `--json` output):
    /// JSON with ISO 8601 dates and sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> SubmissionResult {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SubmissionResult.self, from: data)
    }

    /// A result for a submission the grader could not grade at all (its worker crashed or
    /// its folder could not be read): zero points, every stage not run, and the reason.
    public static func ungradable(exercise: ExerciseManifest, folder: URL, learner: String, reason: String, seed: UInt64,
                                  sandbox: SandboxStatus, startedAt: Date, versions: [String: String]) -> SubmissionResult {
        let stages = exercise.stages.enumerated().map { index, stage in
            StageResult(position: index + 1, id: stage.id, name: stage.name, hidden: stage.hidden, status: .notRun, checks: [],
                        durationSeconds: 0)
        }
        return SubmissionResult(exerciseID: exercise.id, learner: learner, path: folder.path, contentHash: "", startedAt: startedAt,
                                durationSeconds: Date().timeIntervalSince(startedAt), seed: seed, sandbox: sandbox,
                                build: .failed(reason: reason), stages: stages, programOutput: .empty, versions: versions)
    }
}
