import GRDB

/// The gradebook's tables, as named migrations that only ever add.
///
/// A submission is one learner's folder for one exercise, keyed by (exercise, path) so a
/// re-grade finds it again. It has at most one run, the latest grading (re-grading
/// replaces it; the submission row and its id stay), and the run owns its stages and
/// checks, deleted with it by cascade. Stages and checks are keyed by their order in the
/// result (`ordinal`, from 0), so the order is part of the data and a result with duplicate
/// stage numbers still records.
///
/// Columns that summarise a run (score, passed, summary, stage counts) are stored although
/// they can be recomputed from the stages, so the class table and the CSV are one indexed
/// query and can be read with the `sqlite3` shell. They are written only by
/// `Gradebook.record`, from the same `SubmissionResult`, so they cannot disagree.
enum GradebookSchema {
    /// The first migration's name. A `grdb_migrations` table without it belongs to some
    /// other database (a learner's progress file passed by mistake), never to a gradebook.
    static let firstMigration = "v1-gradebook"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            try db.create(table: "submission") { t in
                // AUTOINCREMENT: an id is never reused, so it can name a submission outside
                // the file (a report, an LMS row) without ever meaning someone else.
                t.autoIncrementedPrimaryKey("id")
                t.column("exercise_id", .text).notNull()
                t.column("path", .text).notNull()
                t.column("learner", .text).notNull().indexed()
                t.uniqueKey(["exercise_id", "path"])
            }
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("submission_id", .integer).notNull().unique()
                    .references("submission", onDelete: .cascade)
                // UTC "yyyy-MM-dd HH:mm:ss.SSS", for people and SQL.
                t.column("started_at", .datetime).notNull()
                // Foundation's timeIntervalSinceReferenceDate, bit for bit: the result read
                // back equals the one recorded (the text above keeps milliseconds only).
                t.column("started_at_exact", .double).notNull()
                t.column("duration_seconds", .double).notNull()
                // Decimal text: a UInt64 seed does not fit SQLite's signed integer.
                t.column("seed", .text).notNull()
                t.column("versions_json", .text).notNull()
                t.column("content_hash", .text).notNull()
                t.column("score", .double).notNull()
                t.column("max_score", .double).notNull()
                t.column("passed", .boolean).notNull()
                t.column("stages_passed", .integer).notNull()
                t.column("stages_total", .integer).notNull()
                t.column("summary", .text).notNull()
                t.column("sandbox_enabled", .boolean).notNull()
                t.column("sandbox_note", .text).notNull()
                t.column("build_status", .text).notNull()
                    .check(sql: "build_status IN ('built', 'failed', 'not_ready')")
                // Seconds when built; the reason (compiler output, readiness failure) when not.
                t.column("build_seconds", .double)
                t.column("build_reason", .text)
                t.check(sql: "(build_status = 'built') = (build_seconds IS NOT NULL) AND (build_status = 'built') = (build_reason IS NULL)")
                // The program's output as the runner capped it: first and last part, and
                // how much was cut between them.
                t.column("output_head", .text).notNull()
                t.column("output_tail", .text).notNull()
                t.column("output_total_bytes", .integer).notNull()
                t.column("output_omitted_bytes", .integer).notNull()
            }
            try db.create(table: "stage_result") { t in
                t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                t.column("ordinal", .integer).notNull()
                t.column("position", .integer).notNull()
                t.column("stage_id", .text).notNull()
                t.column("name", .text).notNull()
                t.column("hidden", .boolean).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('passed', 'failed', 'not_run')")
                t.column("score", .double).notNull()
                t.column("max_score", .double).notNull()
                t.column("duration_seconds", .double).notNull()
                t.primaryKey(["run_id", "ordinal"])
            }
            try db.create(table: "check_result") { t in
                t.column("run_id", .integer).notNull()
                t.column("stage_ordinal", .integer).notNull()
                t.column("ordinal", .integer).notNull()
                t.column("check_id", .text).notNull()
                t.column("name", .text).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('passed', 'failed', 'error', 'not_run')")
                t.column("score", .double).notNull()
                t.column("max_score", .double).notNull()
                t.column("duration_seconds", .double).notNull()
                // All NULL when the check has no failure; the message is never NULL when it has one.
                t.column("failure_message", .text)
                t.column("failure_sent", .text)
                t.column("failure_received", .text)
                t.column("failure_expected", .text)
                t.column("failure_hint", .text)
                t.check(sql: """
                    failure_message IS NOT NULL OR (failure_sent IS NULL AND failure_received IS NULL \
                    AND failure_expected IS NULL AND failure_hint IS NULL)
                    """)
                t.primaryKey(["run_id", "stage_ordinal", "ordinal"])
                t.foreignKey(["run_id", "stage_ordinal"], references: "stage_result", columns: ["run_id", "ordinal"],
                             onDelete: .cascade)
            }
        }
        migrator.registerMigration("v2-check-output") { db in
            // The program's own output while a failing check ran (its last part).
            try db.alter(table: "check_result") { t in t.add(column: "program_output", .text) }
        }
        migrator.registerMigration("v3-mode-and-refused") { db in
            // A run now says how its stages ran (staged, or every stage for partial credit),
            // and may be 'refused' (the submission could not be graded). SQLite cannot widen
            // a CHECK in place, so `run` is rebuilt with every row and id kept (foreign keys
            // are off while a migration runs, so its stages stay attached by run id).
            try db.create(table: "run_v3") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("submission_id", .integer).notNull().unique()
                    .references("submission", onDelete: .cascade)
                t.column("started_at", .datetime).notNull()
                t.column("started_at_exact", .double).notNull()
                t.column("duration_seconds", .double).notNull()
                t.column("seed", .text).notNull()
                t.column("versions_json", .text).notNull()
                t.column("content_hash", .text).notNull()
                t.column("score", .double).notNull()
                t.column("max_score", .double).notNull()
                t.column("passed", .boolean).notNull()
                t.column("stages_passed", .integer).notNull()
                t.column("stages_total", .integer).notNull()
                t.column("summary", .text).notNull()
                t.column("sandbox_enabled", .boolean).notNull()
                t.column("sandbox_note", .text).notNull()
                t.column("build_status", .text).notNull()
                    .check(sql: "build_status IN ('built', 'failed', 'not_ready', 'refused')")
                t.column("build_seconds", .double)
                t.column("build_reason", .text)
                t.check(sql: "(build_status = 'built') = (build_seconds IS NOT NULL) AND (build_status = 'built') = (build_reason IS NULL)")
                t.column("output_head", .text).notNull()
                t.column("output_tail", .text).notNull()
                t.column("output_total_bytes", .integer).notNull()
                t.column("output_omitted_bytes", .integer).notNull()
                t.column("mode", .text).notNull().defaults(to: "staged").check(sql: "mode IN ('staged', 'all-stages')")
            }
            let columns = ["id", "submission_id", "started_at", "started_at_exact", "duration_seconds", "seed", "versions_json",
                           "content_hash", "score", "max_score", "passed", "stages_passed", "stages_total", "summary",
                           "sandbox_enabled", "sandbox_note", "build_status", "build_seconds", "build_reason", "output_head",
                           "output_tail", "output_total_bytes", "output_omitted_bytes"].joined(separator: ", ")
            try db.execute(sql: "INSERT INTO run_v3 (\(columns)) SELECT \(columns) FROM run")
            try db.drop(table: "run")
            try db.rename(table: "run_v3", to: "run")
        }
        return migrator
    }
}
