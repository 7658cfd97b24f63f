import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file beside the gradebook, held while it is opened and
/// migrated. Two `course grade` runs started at once would otherwise both see a migration
/// as pending and both run it; SQLite's own locking covers each transaction, not the
/// check-then-migrate sequence. The kernel drops the lock when its holder dies, so a
/// killed run never leaves the gradebook locked.
final class AdvisoryFileLock {
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CourseError("cannot create the lock file: \(String(cString: strerror(errno)))", file: path,
                              hint: "check that the gradebook's folder is writable")
        }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }

    func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
