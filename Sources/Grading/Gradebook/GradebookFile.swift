import CourseEngine
import Foundation
import GRDB

/// Opening the gradebook's SQLite file, with the same guarantees as the learner's progress
/// file (`ProgressStore`): a file that is not a readable database is never reset or
/// written into (opening throws, after copying it aside); another program's database is
/// refused; a file from a newer `course` is refused; and the file is backed up before a
/// migration upgrades it.
///
/// The guarantees are ProgressStore's, not its code: its helpers are internal to
/// CourseEngine and its messages speak of workspaces, while a gradebook is any file the
/// instructor names with `--gradebook`. One difference: every check here runs on a
/// read-only connection before the pool opens (see `inspect`).
enum GradebookFile {
    static func open(url: URL, migrator: DatabaseMigrator, now: Date) throws -> DatabasePool {
        let path = url.path
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && isDirectory.boolValue {
            throw CourseError("the gradebook is a folder, not a file", file: path,
                              hint: "name a file, such as \(url.appendingPathComponent("gradebook.sqlite").path)")
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CourseError("cannot create the gradebook's folder: \(error.localizedDescription)", file: path)
        }

        let lock = try FileLock(path: path + ".lock", folderHint: "the gradebook's folder")
        defer { lock.unlock() }

        if existed {
            try inspect(url, now: now)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            let copy = existed ? preserveDamaged(url, now: now) : nil
            throw CourseError("cannot open the gradebook: \(describe(error))", file: path, hint: recoveryHint(copy: copy))
        }
        try migrate(pool, url: url, migrator: migrator, now: now)
        return pool
    }

    /// Checks an existing file through a read-only connection before anything may write to
    /// it: opening a `DatabasePool` writes (GRDB creates and drops a table so that the WAL
    /// exists), and closing it checkpoints that write into the main file, so a damaged file
    /// would be changed by the very open that finds it damaged.
    private static func inspect(_ url: URL, now: Date) throws {
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(30)
            config.label = "gradebook-inspection"
            let connection = try DatabaseQueue(path: url.path, configuration: config)
            defer { try? connection.close() }
            try connection.read { db in
                try identify(db, path: url.path)
                try checkIntegrity(db)
            }
        } catch let error as CourseError {
            throw error
        } catch {
            let copy = preserveDamaged(url, now: now)
            throw CourseError("cannot open the gradebook: \(describe(error))", file: url.path, hint: recoveryHint(copy: copy))
        }
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

    /// Refuses a database that is not a gradebook: one set up by other migrations (the
    /// learner's progress file passed by mistake) or holding tables of its own.
    private static func identify(_ db: Database, path: String) throws {
        if try db.tableExists("grdb_migrations") {
            let applied = try DatabaseMigrator().appliedIdentifiers(db)
            if !applied.contains(GradebookSchema.firstMigration) {
                throw CourseError("this SQLite file is not a course gradebook (it was set up by \(applied.sorted().joined(separator: ", ")))",
                                  file: path, hint: "pass another file with --gradebook")
            }
        } else if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'")! > 0 {
            throw CourseError("this SQLite file is not a course gradebook", file: path,
                              hint: "pass another file with --gradebook")
        }
    }

    /// `quick_check` reads every page, so a damaged file is caught here, once, rather than
    /// by whichever query later reaches the bad page.
    private static func checkIntegrity(_ db: Database) throws {
        let result = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if result != ["ok"] {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: result.prefix(3).joined(separator: "; "))
        }
    }

    private static func migrate(_ pool: DatabasePool, url: URL, migrator: DatabaseMigrator, now: Date) throws {
        // Read on the writer connection: a reader opened now would keep the old schema and
        // could later expand `*` or column positions from it.
        let applied = try pool.writeWithoutTransaction { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw CourseError("the gradebook was written by a newer version of course (it has \(unknown.sorted().joined(separator: ", ")))",
                              file: url.path, hint: "update course (git pull), or pass another file with --gradebook")
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard let last = pending.last else { return }
        var backupURL: URL?
        if !applied.isEmpty {
            backupURL = try backup(pool, of: url, reason: "before-\(last)", now: now)
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw CourseError("cannot upgrade the gradebook: \(describe(error))", file: url.path,
                              hint: backupURL.map { "the file as it was before is at \($0.path)" })
        }
    }

    /// Copies the database, consistently even while others write, into `backups/` beside it,
    /// named after the file, the time and the reason.
    static func backup(_ pool: DatabasePool, of url: URL, reason: String, now: Date) throws -> URL {
        let folder = url.deletingLastPathComponent().appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = "\(url.deletingPathExtension().lastPathComponent)-\(stamp(now))-\(reason)"
        var target = folder.appendingPathComponent("\(base).sqlite")
        var n = 1
        while FileManager.default.fileExists(atPath: target.path) {
            n += 1
            target = folder.appendingPathComponent("\(base)-\(n).sqlite")
        }
        let copy = try DatabaseQueue(path: target.path)
        try pool.backup(to: copy)
        try copy.close()
        return target
    }

    /// Copies a file that failed to open (and its write-ahead log, which may hold the latest
    /// grades), so that whatever the instructor does next, it survives. The original is
    /// left exactly as it was.
    static func preserveDamaged(_ url: URL, now: Date) -> URL? {
        let target = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).damaged-\(stamp(now))")
        if FileManager.default.fileExists(atPath: target.path) { return target }
        do {
            try FileManager.default.copyItem(at: url, to: target)
            let wal = URL(fileURLWithPath: url.path + "-wal")
            if FileManager.default.fileExists(atPath: wal.path) {
                try FileManager.default.copyItem(at: wal, to: URL(fileURLWithPath: target.path + "-wal"))
            }
            return target
        } catch {
            return nil
        }
    }

    static func recoveryHint(copy: URL?) -> String {
        var hint = "the file was left as it is"
        if let copy { hint += "; a copy is at \(copy.path)" }
        return hint + ". Restore a backup from the backups/ folder beside it, or pass another file with --gradebook "
            + "(grading the submissions again fills a new gradebook)"
    }

    /// UTC, sortable, safe in a file name: 20270115-080000.
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message.map { "\($0) (SQLite \(error.resultCode))" } ?? "SQLite \(error.resultCode)"
        }
        return String(describing: error)
    }
}
