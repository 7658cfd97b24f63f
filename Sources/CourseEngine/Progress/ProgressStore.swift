import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The learner's progress: lessons read and exercise attempts, in one SQLite file.
///
/// WAL mode with a busy timeout, so two `course` processes can write at once; every write
/// is one transaction; schema changes are named migrations that never drop data, and the
/// file is backed up before a migration upgrades it. A file that is not a readable
/// database is never reset or written: opening it throws, after copying it aside (see
/// `SQLiteFile`, shared with the gradebook).
public final class ProgressStore: Sendable {
    public let url: URL
    private let writer: DatabasePool

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-progress") { db in
            try db.create(table: "lesson_progress") { t in
                t.primaryKey("lesson_id", .text)
                t.column("first_read_at", .datetime).notNull()
                t.column("last_read_at", .datetime).notNull()
                t.column("read_count", .integer).notNull().defaults(to: 0)
                t.column("reading_seconds", .double).notNull().defaults(to: 0)
            }
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("exercise_id", .text).notNull().indexed()
                t.column("started_at", .datetime).notNull()
                t.column("duration_seconds", .double).notNull()
                t.column("passed", .boolean).notNull()
                t.column("stages_passed", .integer).notNull()
                t.column("stages_total", .integer).notNull()
                t.column("summary", .text).notNull().defaults(to: "")
            }
            try db.create(table: "attempt_stage") { t in
                t.column("attempt_id", .integer).notNull().references("attempt", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("outcome", .text).notNull()
                t.primaryKey(["attempt_id", "position"])
            }
            try db.create(table: "workspace_meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v2-hints") { db in
            try db.create(table: "hint_progress") { t in
                t.column("exercise_id", .text).notNull()
                t.column("stage_id", .text).notNull()
                t.column("shown", .integer).notNull().defaults(to: 0)
                t.column("last_shown_at", .datetime).notNull()
                t.primaryKey(["exercise_id", "stage_id"])
            }
        }
        migrator.registerMigration("v3-failed-check") { db in
            try db.alter(table: "attempt") { t in
                t.add(column: "failed_check", .text)
                t.add(column: "failure_tag", .text)
            }
        }
        return migrator
    }

    private let file: SQLiteFile

    /// Opens (creating if needed) the progress database at `url`.
    public convenience init(url: URL, now: Date = Date()) throws {
        try self.init(url: url, migrator: Self.migrator, now: now)
    }

    /// Tests pass a migrator with extra migrations to prove upgrades keep data.
    init(url: URL, migrator: DatabaseMigrator, now: Date) throws {
        self.url = url
        file = SQLiteFile(url: url, kind: Self.kind)
        writer = try file.open(migrator: migrator, now: now)
        try writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO workspace_meta (key, value) VALUES ('created_at', ?)",
                           arguments: [ISO8601DateFormatter().string(from: now)])
        }
    }

    /// WAL (GRDB's pool) with a busy timeout, so two `course` processes can write at once.
    static var kind: SQLiteFile.Kind {
        var config = Configuration()
        config.busyMode = .timeout(15)
        config.foreignKeysEnabled = true
        config.label = "progress"
        return SQLiteFile.Kind(
            name: "the progress database", identity: "a course progress database", firstMigration: "v1-progress",
            foreignHint: "move it away; `course` will create a new progress file there",
            newerHint: "update course (git pull), or use another workspace with --workspace",
            recoveryAdvice: "Restore a backup from the workspace's backups/ folder, or move the file away to start a new one",
            folderAdvice: "move it away; `course` will create a new progress file there",
            folderHint: "the workspace folder", configuration: config)
    }

    // MARK: Lessons

    /// Records that a lesson was shown in full. Safe under concurrent processes: the count
    /// is incremented in SQL, never read-modify-written in Swift.
    public func markLessonRead(_ lessonID: String, seconds: Double = 0, at date: Date = Date()) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO lesson_progress (lesson_id, first_read_at, last_read_at, read_count, reading_seconds)
                VALUES (?, ?, ?, 1, ?)
                ON CONFLICT(lesson_id) DO UPDATE SET
                    last_read_at = excluded.last_read_at,
                    read_count = read_count + 1,
                    reading_seconds = reading_seconds + excluded.reading_seconds
                """, arguments: [lessonID, date, date, seconds])
        }
    }

    public func lessons() throws -> [String: LessonProgress] {
        try writer.read { db in
            Dictionary(uniqueKeysWithValues: try LessonProgress.fetchAll(db).map { ($0.lessonID, $0) })
        }
    }

    // MARK: Exercises

    /// Records one check run and its stages in a single transaction.
    @discardableResult
    public func recordAttempt(_ attempt: Attempt, stages: [(name: String, outcome: AttemptStage.Outcome)]) throws -> Attempt {
        try writer.write { db in
            var saved = attempt
            try saved.insert(db)
            for (position, stage) in stages.enumerated() {
                try AttemptStage(attemptID: saved.id!, position: position + 1, name: stage.name, outcome: stage.outcome).insert(db)
            }
            return saved
        }
    }

    public func attempts(exerciseID: String) throws -> [Attempt] {
        try writer.read { db in
            try Attempt.filter(Column("exercise_id") == exerciseID).order(Column("id")).fetchAll(db)
        }
    }

    /// The latest attempt of any exercise: the exercise the learner checked last.
    public func latestAttempt() throws -> Attempt? {
        try writer.read { db in
            try Attempt.order(Column("id").desc).fetchOne(db)
        }
    }

    public func stages(attemptID: Int64) throws -> [AttemptStage] {
        try writer.read { db in
            try AttemptStage.filter(Column("attempt_id") == attemptID).order(Column("position")).fetchAll(db)
        }
    }

    public func exercises() throws -> [String: ExerciseProgress] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT exercise_id,
                       COUNT(*) AS attempts,
                       MIN(started_at) AS first_at,
                       MIN(CASE WHEN passed THEN started_at END) AS passed_at,
                       MAX(stages_passed) AS best,
                       MAX(stages_total) AS total,
                       SUM(duration_seconds) AS seconds,
                       (SELECT summary FROM attempt a2 WHERE a2.exercise_id = attempt.exercise_id ORDER BY id DESC LIMIT 1) AS last_summary
                FROM attempt GROUP BY exercise_id
                """)
            var out: [String: ExerciseProgress] = [:]
            for row in rows {
                let id: String = row["exercise_id"]
                out[id] = ExerciseProgress(exerciseID: id, attempts: row["attempts"], firstAttemptAt: row["first_at"],
                                           passedAt: row["passed_at"], bestStagesPassed: row["best"], stagesTotal: row["total"],
                                           secondsChecking: row["seconds"], lastSummary: row["last_summary"])
            }
            return out
        }
    }

    // MARK: Hints

    /// How many of a stage's hints the learner has been shown.
    public func hintsShown(exerciseID: String, stageID: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT shown FROM hint_progress WHERE exercise_id = ? AND stage_id = ?",
                             arguments: [exerciseID, stageID]) ?? 0
        }
    }

    /// Reveals one more of a stage's `available` hints and returns how many are shown now
    /// (never more than `available`). Incremented in SQL, so two processes never lose one.
    @discardableResult
    public func revealHint(exerciseID: String, stageID: String, available: Int, at date: Date = Date()) throws -> Int {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO hint_progress (exercise_id, stage_id, shown, last_shown_at) VALUES (?, ?, MIN(1, ?), ?)
                ON CONFLICT(exercise_id, stage_id) DO UPDATE SET
                    shown = MIN(shown + 1, ?),
                    last_shown_at = excluded.last_shown_at
                """, arguments: [exerciseID, stageID, available, date, available])
            return try Int.fetchOne(db, sql: "SELECT shown FROM hint_progress WHERE exercise_id = ? AND stage_id = ?",
                                    arguments: [exerciseID, stageID]) ?? 0
        }
    }

    // MARK: Reset and backups

    public enum ResetScope: Sendable, Equatable {
        case everything
        case lesson(String)
        case exercise(String)
    }

    /// Forgets progress in `scope` after backing the whole file up; returns the backup.
    @discardableResult
    public func reset(_ scope: ResetScope, now: Date = Date()) throws -> URL {
        let backupURL = try backup(reason: "before-reset", now: now)
        try writer.write { db in
            switch scope {
            case .everything:
                try db.execute(sql: "DELETE FROM attempt_stage; DELETE FROM attempt; DELETE FROM lesson_progress; DELETE FROM hint_progress")
            case .lesson(let id):
                try db.execute(sql: "DELETE FROM lesson_progress WHERE lesson_id = ?", arguments: [id])
            case .exercise(let id):
                try db.execute(sql: "DELETE FROM attempt WHERE exercise_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM hint_progress WHERE exercise_id = ?", arguments: [id])
            }
        }
        return backupURL
    }

    /// Copies the database, consistently even while others write, into `backups/` beside it.
    public func backup(reason: String, now: Date = Date()) throws -> URL {
        try file.backup(writer, reason: reason, now: now)
    }

    public func meta(_ key: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM workspace_meta WHERE key = ?", arguments: [key]) }
    }
}

/// An exclusive advisory lock (`flock`) on a file beside a database, held while the database
/// is opened and migrated, so two processes starting at once never run the same migration
/// twice: SQLite's locking covers each transaction, not the check-then-migrate sequence.
/// The kernel drops the lock when its holder dies, so a killed process never leaves it held.
public final class FileLock {
    private let fd: Int32

    /// `folderHint` says which folder must be writable when the lock file cannot be made.
    public init(path: String, folderHint: String = "the workspace folder") throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CourseError("cannot create the lock file: \(String(cString: strerror(errno)))", file: path,
                              hint: "check that \(folderHint) is writable")
        }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }

    public func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
