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

    /// A result for a submission that could not be graded (its worker crashed or ran out of
    /// time, its `course.yaml` is broken, it holds a FIFO): every check not run, for zero of
    /// the exercise's points (the checks come from the piece that grades it, so the maximum is
    /// the exercise's), and the reason.
    public static func ungradable(exercise: ExerciseManifest, registry: PieceRegistry, folder: URL, reason: String, seed: UInt64,
                                  sandbox: SandboxStatus, startedAt: Date, versions: [String: String],
                                  mode: GradingMode = .staged) -> SubmissionResult {
        let checks = (try? registry.suite(exercise.checks)?.stages(for: exercise)) ?? [:]
        let stages = exercise.stages.enumerated().map { index, stage in
            Grader.notRun(stage, position: index + 1, checks: checks[stage.id] ?? [], reason: "the submission could not be graded")
        }
        return SubmissionResult(exerciseID: exercise.id, learner: folder.lastPathComponent, path: folder.path, contentHash: "",
                                startedAt: startedAt, durationSeconds: Date().timeIntervalSince(startedAt), seed: seed, sandbox: sandbox,
                                build: .refused(reason: reason), stages: stages, programOutput: .empty, versions: versions, mode: mode)
    }
}
