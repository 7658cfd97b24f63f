import Foundation
import GRDB

/// What a learner has read: one row per lesson.
public struct LessonProgress: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lesson_progress"
    public var lessonID: String
    public var firstReadAt: Date
    public var lastReadAt: Date
    public var readCount: Int
    /// Seconds the lesson was open in the pager (0 when printed without one).
    public var readingSeconds: Double

    enum CodingKeys: String, CodingKey {
        case lessonID = "lesson_id", firstReadAt = "first_read_at", lastReadAt = "last_read_at"
        case readCount = "read_count", readingSeconds = "reading_seconds"
    }
}

/// One `course check` run of an exercise.
public struct Attempt: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "attempt"
    public var id: Int64?
    public var exerciseID: String
    public var startedAt: Date
    public var durationSeconds: Double
    public var passed: Bool
    public var stagesPassed: Int
    public var stagesTotal: Int
    /// A one-line outcome to show in `course progress` ("stage 2 'create': 409 expected, got 200").
    public var summary: String
    /// The id of the first check that failed, and how it failed (its failure's tag), for
    /// hints keyed to them; nil when none failed (or the record predates them).
    public var failedCheck: String?
    public var failureTag: String?

    public init(id: Int64? = nil, exerciseID: String, startedAt: Date, durationSeconds: Double, passed: Bool,
                stagesPassed: Int, stagesTotal: Int, summary: String, failedCheck: String? = nil, failureTag: String? = nil) {
        self.failedCheck = failedCheck
        self.failureTag = failureTag
        self.id = id
        self.exerciseID = exerciseID
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.passed = passed
        self.stagesPassed = stagesPassed
        self.stagesTotal = stagesTotal
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case id, exerciseID = "exercise_id", startedAt = "started_at", durationSeconds = "duration_seconds"
        case passed, stagesPassed = "stages_passed", stagesTotal = "stages_total", summary
        case failedCheck = "failed_check", failureTag = "failure_tag"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The per-stage outcome of an attempt.
public struct AttemptStage: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attempt_stage"
    public enum Outcome: String, Codable, Sendable { case passed, failed, notRun = "not_run" }
    public var attemptID: Int64
    public var position: Int
    public var name: String
    public var outcome: Outcome

    public init(attemptID: Int64, position: Int, name: String, outcome: Outcome) {
        self.attemptID = attemptID
        self.position = position
        self.name = name
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case attemptID = "attempt_id", position, name, outcome
    }
}

/// An exercise's standing, derived from its attempts.
public struct ExerciseProgress: Sendable, Equatable {
    public var exerciseID: String
    public var attempts: Int
    public var firstAttemptAt: Date?
    public var passedAt: Date?
    public var bestStagesPassed: Int
    public var stagesTotal: Int
    public var secondsChecking: Double
    public var lastSummary: String?

    public var passed: Bool { passedAt != nil }
}
