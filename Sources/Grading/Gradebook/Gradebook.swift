import CourseEngine
import Foundation
import GRDB

/// The instructor's gradebook (`course grade --gradebook F`, `course gradebook`): every
/// graded submission with its latest run, and that run's stages and checks with timings and
/// failure messages, in one SQLite file. Reports can be regenerated from it: `results`
/// gives back exactly the `SubmissionResult`s that were recorded.
///
/// * Re-grading is idempotent: a submission is (exercise, path), and recording it again
///   replaces its run, so grading a class twice leaves the same rows.
/// * A killed grading run never corrupts it: each submission is one transaction in WAL
///   mode, so `kill -9` keeps every submission recorded before and none of the one being
///   written (`GradebookCrashSafetyTests` proves it on this code, in a child process).
/// * Two grading runs on one file wait for each other (immediate transactions, a busy
///   timeout) instead of failing or losing rows.
///
/// Opening refuses damaged, foreign and newer files with a `CourseError` naming the file,
/// and never overwrites them (see `GradebookFile`). Every SQL statement on the data lives
/// in this file; the mapping to rows lives in `GradebookRecords.swift`.
public final class Gradebook: Sendable {
    public let url: URL
    /// Internal so tests can watch the transactions.
    let pool: DatabasePool

    /// Opens the gradebook at `url`, creating it (and its folder) when missing, and upgrading
    /// it after a backup when it was written by an older course.
    public convenience init(url: URL, now: Date = Date()) throws {
        try self.init(url: url, migrator: GradebookSchema.migrator, now: now)
    }

    /// Tests pass a migrator with extra migrations to prove upgrades keep data.
    init(url: URL, migrator: DatabaseMigrator, now: Date) throws {
        self.url = url
        pool = try GradebookFile.open(url: url, migrator: migrator, now: now)
    }

    // MARK: Writing

    /// Records one graded submission in one transaction, replacing the previous run of the
    /// same (exercise, path). The submission keeps its id; its learner name is updated.
    public func record(_ result: SubmissionResult) throws {
        try access("record the grade of \(result.path)") {
            try pool.write { db in
                let submissionID = try Int64.fetchOne(db, sql: """
                    INSERT INTO submission (exercise_id, path, learner) VALUES (?, ?, ?)
                    ON CONFLICT (exercise_id, path) DO UPDATE SET learner = excluded.learner
                    RETURNING id
                    """, arguments: [result.exerciseID, result.path, VerbatimText(result.learner)])!
                // Cascades to the old run's stage_result and check_result rows.
                try db.execute(sql: "DELETE FROM run WHERE submission_id = ?", arguments: [submissionID])
                var run = StoredRun(submissionID: submissionID, result: result)
                try run.insert(db)
                let runID = run.id!
                for (stageOrdinal, stage) in result.stages.enumerated() {
                    try StoredStage(runID: runID, ordinal: stageOrdinal, stage: stage).insert(db)
                    for (ordinal, check) in stage.checks.enumerated() {
                        try StoredCheck(runID: runID, stageOrdinal: stageOrdinal, ordinal: ordinal, check: check).insert(db)
                    }
                }
            }
        }
    }

    // MARK: Reading

    /// The content hash of the latest grading of this submission, nil when it was never
    /// graded: `--only-new` skips a submission whose folder still hashes to it.
    public func latestHash(exercise: String, path: String) throws -> String? {
        try access("read the gradebook") {
            try pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT run.content_hash FROM run JOIN submission ON submission.id = run.submission_id
                    WHERE submission.exercise_id = ? AND submission.path = ?
                    """, arguments: [exercise, path])
            }
        }
    }

    /// One row per graded submission of `exercise` (every exercise when nil), in class order.
    public func classTable(exercise: String? = nil) throws -> [GradebookRow] {
        try access("read the gradebook") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT submission.learner, submission.path, submission.exercise_id, run.score, run.max_score,
                           run.passed, run.stages_passed, run.stages_total, run.summary, run.started_at_exact
                    FROM submission JOIN run ON run.submission_id = submission.id
                    WHERE \(Self.exerciseFilter) ORDER BY \(Self.classOrder)
                    """, arguments: [exercise]).map { row in
                    GradebookRow(learner: try row.decode(VerbatimText.self, forColumn: "learner").string,
                                 path: try row.decode(forColumn: "path"),
                                 exerciseID: try row.decode(forColumn: "exercise_id"),
                                 score: try row.decode(forColumn: "score"),
                                 maxScore: try row.decode(forColumn: "max_score"),
                                 passed: try row.decode(forColumn: "passed"),
                                 stagesPassed: try row.decode(forColumn: "stages_passed"),
                                 stagesTotal: try row.decode(forColumn: "stages_total"),
                                 summary: try row.decode(VerbatimText.self, forColumn: "summary").string,
                                 gradedAt: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "started_at_exact")))
                }
            }
        }
    }

    /// The full results of `exercise` (every exercise when nil), in class order, equal to
    /// what was recorded: reports can be written again from the gradebook alone. Three
    /// queries in one read transaction, so a class of any size is a consistent snapshot.
    public func results(exercise: String? = nil) throws -> [SubmissionResult] {
        try access("read the gradebook") {
            try pool.read { db in
                let runs = try StoredRun.fetchAll(db, sql: """
                    SELECT \(Self.select(StoredRun.readColumns, from: "run")), submission.exercise_id, submission.path, submission.learner
                    FROM run JOIN submission ON submission.id = run.submission_id
                    WHERE \(Self.exerciseFilter) ORDER BY \(Self.classOrder)
                    """, arguments: [exercise])
                let stages = try StoredStage.fetchAll(db, sql: """
                    SELECT \(Self.select(StoredStage.readColumns, from: "stage_result")) FROM stage_result
                    JOIN run ON run.id = stage_result.run_id JOIN submission ON submission.id = run.submission_id
                    WHERE \(Self.exerciseFilter) ORDER BY stage_result.run_id, stage_result.ordinal
                    """, arguments: [exercise])
                let checks = try StoredCheck.fetchAll(db, sql: """
                    SELECT \(Self.select(StoredCheck.readColumns, from: "check_result")) FROM check_result
                    JOIN run ON run.id = check_result.run_id JOIN submission ON submission.id = run.submission_id
                    WHERE \(Self.exerciseFilter)
                    ORDER BY check_result.run_id, check_result.stage_ordinal, check_result.ordinal
                    """, arguments: [exercise])
                return Self.assemble(runs: runs, stages: stages, checks: checks)
            }
        }
    }

    // MARK: Helpers

    /// `?1` is the exercise id, or NULL for every exercise.
    private static let exerciseFilter = "(?1 IS NULL OR submission.exercise_id = ?1)"
    /// By learner, ignoring ASCII case (a roster is read that way), then exactly, so the
    /// order never depends on the machine's locale.
    private static let classOrder = "submission.learner COLLATE NOCASE, submission.learner, submission.exercise_id, submission.path"

    private static func select(_ columns: [String], from table: String) -> String {
        columns.map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// Puts checks into their stages and stages into their runs; every list arrives sorted.
    private static func assemble(runs: [StoredRun], stages: [StoredStage], checks: [StoredCheck]) -> [SubmissionResult] {
        struct StageKey: Hashable {
            var runID: Int64
            var ordinal: Int
        }
        var checksByStage: [StageKey: [CheckResult]] = [:]
        for stored in checks {
            checksByStage[StageKey(runID: stored.runID, ordinal: stored.stageOrdinal), default: []].append(stored.check)
        }
        var stagesByRun: [Int64: [StageResult]] = [:]
        for stored in stages {
            var stage = stored.stage
            stage.checks = checksByStage[StageKey(runID: stored.runID, ordinal: stored.ordinal)] ?? []
            stagesByRun[stored.runID, default: []].append(stage)
        }
        return runs.map { stored in
            var result = stored.result
            result.stages = stagesByRun[stored.id!] ?? []
            return result
        }
    }

    /// Runs `body`, turning SQLite and decoding errors into a `CourseError` naming the file.
    private func access<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CourseError {
            throw error
        } catch let error as GradebookDecodingError {
            throw CourseError("cannot \(action): \(error)", file: url.path,
                              hint: "the file was written by another version of course; update course (git pull)")
        } catch {
            throw CourseError("cannot \(action): \(SQLiteFile.describe(error))", file: url.path)
        }
    }
}
