import CourseEngine
import Foundation
import GRDB

/// The gradebook's SQLite file: opened with the guarantees every course database has
/// (`SQLiteFile`: damaged files kept and never written, foreign and newer files refused,
/// a backup before each upgrade), in the words an instructor needs.
enum GradebookFile {
    static func open(url: URL, migrator: DatabaseMigrator, now: Date) throws -> DatabasePool {
        try SQLiteFile(url: url, kind: kind(url)).open(migrator: migrator, now: now)
    }

    static func kind(_ url: URL) -> SQLiteFile.Kind {
        SQLiteFile.Kind(
            name: "the gradebook", identity: "a course gradebook", firstMigration: GradebookSchema.firstMigration,
            foreignHint: "pass another file with --gradebook",
            newerHint: "update course (git pull), or pass another file with --gradebook",
            recoveryAdvice: "Restore a backup from the backups/ folder beside it, or pass another file with --gradebook "
                + "(grading the submissions again fills a new gradebook)",
            folderAdvice: "name a file, such as \(url.appendingPathComponent("gradebook.sqlite").path)",
            folderHint: "the gradebook's folder", configuration: configuration)
    }

    /// WAL so readers (a report being written) never wait for the grader; a busy timeout so
    /// two grading runs on one file wait for each other instead of failing; foreign keys so
    /// deleting a run deletes its stages and checks.
    static var configuration: Configuration {
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        config.label = "gradebook"
        return config
    }
}
