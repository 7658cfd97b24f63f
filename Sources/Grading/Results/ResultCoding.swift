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
    /// time, its folder could not be read): every check not run, for zero of the exercise's
    /// points (`checks`: the suite's checks by stage, so the maximum is the exercise's), and
    /// the reason.
    public static func ungradable(exercise: ExerciseManifest, checks: [String: [Check]], folder: URL, reason: String, seed: UInt64,
                                  sandbox: SandboxStatus, startedAt: Date, versions: [String: String],
                                  mode: GradingMode = .staged) -> SubmissionResult {
        let stages = exercise.stages.enumerated().map { index, stage in
            let stageChecks = checks[stage.id] ?? []
            let points = Grader.points(for: stageChecks, stagePoints: stage.points)
            return StageResult(position: index + 1, id: stage.id, name: stage.name, hidden: stage.hidden, status: .notRun,
                               checks: zip(stageChecks, points).map { check, max in
                                   CheckResult(id: check.id, name: check.name, status: .notRun, score: 0, maxScore: max, durationSeconds: 0,
                                               failure: CheckFailure("not run: the submission could not be graded"))
                               }, durationSeconds: 0)
        }
        return SubmissionResult(exerciseID: exercise.id, learner: folder.lastPathComponent, path: folder.path, contentHash: "",
                                startedAt: startedAt, durationSeconds: Date().timeIntervalSince(startedAt), seed: seed, sandbox: sandbox,
                                build: .refused(reason: reason), stages: stages, programOutput: .empty, versions: versions, mode: mode)
    }
}
