import Foundation
import GRDB

/// Opening one of course's SQLite files (the learner's progress, the instructor's
/// gradebook) with the same guarantees for both:
///
/// * A file that is not a readable database is never reset or written into: opening throws,
///   after copying it (and its write-ahead log) aside. Every check runs on a read-only
///   connection before the pool opens, because opening a `DatabasePool` writes (GRDB makes
///   sure the WAL exists) and closing it checkpoints that write into the main file: a
///   damaged file would otherwise be changed by the very open that finds it damaged.
/// * Another program's database, or another kind of course file, is refused.
/// * A file from a newer `course` is refused.
/// * The file is backed up into `backups/` beside it before a migration upgrades it.
/// * Two processes opening at once wait for each other (a `FileLock`), so a migration never
///   runs twice.
public struct SQLiteFile: Sendable {
    /// What the file is, in the words of its messages.
    public struct Kind: Sendable {
        /// "the gradebook", "the progress database".
        public var name: String
        /// "a course gradebook": what a file of another kind is not.
        public var identity: String
        /// The migration that marks a file of this kind.
        public var firstMigration: String
        /// What to do with a file of the wrong kind.
        public var foreignHint: String?
        /// What to do with a file from a newer course.
        public var newerHint: String
        /// What to do when the file cannot be read, after "the file was left as it is; a
        /// copy is at …".
        public var recoveryAdvice: String
        /// What to do when a folder stands where the file should be.
        public var folderAdvice: String
        /// The folder that must be writable for the lock file.
        public var folderHint: String
        public var configuration: Configuration

        public init(name: String, identity: String, firstMigration: String, foreignHint: String?, newerHint: String,
                    recoveryAdvice: String, folderAdvice: String, folderHint: String, configuration: Configuration) {
            self.name = name
            self.identity = identity
            self.folderAdvice = folderAdvice
            self.firstMigration = firstMigration
            self.foreignHint = foreignHint
            self.newerHint = newerHint
            self.recoveryAdvice = recoveryAdvice
            self.folderHint = folderHint
            self.configuration = configuration
        }
    }

    public let url: URL
    public let kind: Kind

    public init(url: URL, kind: Kind) {
        self.url = url
        self.kind = kind
    }

    /// Opens the file, creating it (and its folder) when missing, checking it when it exists,
    /// and bringing its schema up to `migrator`'s.
    public func open(migrator: DatabaseMigrator, now: Date) throws -> DatabasePool {
        let path = url.path
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && isDirectory.boolValue {
            throw CourseError("\(kind.name) is a folder, not a file", file: path, hint: kind.folderAdvice)
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CourseError("cannot create the folder of \(kind.name): \(error.localizedDescription)", file: path)
        }

        let lock = try FileLock(path: path + ".lock", folderHint: kind.folderHint)
        defer { lock.unlock() }

        if existed {
            try inspect(now: now)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: kind.configuration)
        } catch {
            let copy = existed ? preserveDamaged(now: now) : nil
            throw CourseError("cannot open \(kind.name): \(Self.describe(error))", file: path, hint: recoveryHint(copy: copy))
        }
        try migrate(pool, migrator: migrator, now: now)
        return pool
    }

    /// Copies the database, consistently even while others write, into `backups/` beside it,
    /// named after the file, the time and the reason.
    public func backup(_ pool: DatabasePool, reason: String, now: Date) throws -> URL {
        let folder = url.deletingLastPathComponent().appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = "\(url.deletingPathExtension().lastPathComponent)-\(Self.stamp(now))-\(reason)"
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

    // MARK: Steps

    private func inspect(now: Date) throws {
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(30)
            config.label = "\(kind.configuration.label ?? "sqlite")-inspection"
            let connection = try DatabaseQueue(path: url.path, configuration: config)
            defer { try? connection.close() }
            try connection.read { db in
                try identify(db)
                try Self.checkIntegrity(db)
            }
        } catch let error as CourseError {
            throw error
        } catch {
            let copy = preserveDamaged(now: now)
            throw CourseError("cannot open \(kind.name): \(Self.describe(error))", file: url.path, hint: recoveryHint(copy: copy))
        }
    }

    /// Refuses a database set up by other migrations (a gradebook passed as progress, or the
    /// reverse) or holding tables of its own. An empty file is a new database.
    private func identify(_ db: Database) throws {
        if try db.tableExists("grdb_migrations") {
            let applied = try DatabaseMigrator().appliedIdentifiers(db)
            if !applied.contains(kind.firstMigration) {
                throw CourseError("this SQLite file is not \(kind.identity) (it was set up by \(applied.sorted().joined(separator: ", ")))",
                                  file: url.path, hint: kind.foreignHint)
            }
        } else if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'")! > 0 {
            throw CourseError("this SQLite file is not \(kind.identity)", file: url.path, hint: kind.foreignHint)
        }
    }

    /// `quick_check` reads every page, so a damaged file is caught here, once, rather than by
    /// whichever query later reaches the bad page.
    private static func checkIntegrity(_ db: Database) throws {
        let result = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if result != ["ok"] {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: result.prefix(3).joined(separator: "; "))
        }
    }

    private func migrate(_ pool: DatabasePool, migrator: DatabaseMigrator, now: Date) throws {
        // Read on the writer connection: a reader opened now would keep the old schema and
        // could later expand `*` or column positions from it.
        let applied = try pool.writeWithoutTransaction { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw CourseError("\(kind.name) was written by a newer version of course (it has \(unknown.sorted().joined(separator: ", ")))",
                              file: url.path, hint: kind.newerHint)
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard let last = pending.last else { return }
        var backupURL: URL?
        if !applied.isEmpty {
            backupURL = try backup(pool, reason: "before-\(last)", now: now)
        }
        do {
            try migrator.migrate(pool)
        } catch {
            throw CourseError("cannot upgrade \(kind.name): \(Self.describe(error))", file: url.path,
                              hint: backupURL.map { "the file as it was before is at \($0.path)" })
        }
    }

    /// Copies a file that failed to open (and its write-ahead log, which may hold the latest
    /// writes), so that whatever the user does next, it survives. The original is left
    /// exactly as it was.
    func preserveDamaged(now: Date) -> URL? {
        let target = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).damaged-\(Self.stamp(now))")
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

    func recoveryHint(copy: URL?) -> String {
        var hint = "the file was left as it is"
        if let copy { hint += "; a copy is at \(copy.path)" }
        return hint + ". " + kind.recoveryAdvice
    }

    /// UTC, sortable, safe in a file name: 20270115-080000.
    public static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    public static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message.map { "\($0) (SQLite \(error.resultCode))" } ?? "SQLite \(error.resultCode)"
        }
        return String(describing: error)
    }
}
