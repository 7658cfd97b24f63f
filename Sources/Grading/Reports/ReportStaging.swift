import CProcessSupport
import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder inside the report folder where a run's reports are made before any of them
/// is put in place (`.course-staging-<pid>-<id>`, hidden). Publishing swaps each report
/// file or folder with the one in place (`renameat2` with `RENAME_EXCHANGE`, atomic), so the
/// previous reports end up here and go when the staging folder is removed. Only plain
/// system calls are used, so every error is a sentence (`errno`), never a Foundation error.
final class ReportStaging {
    static let prefix = ".course-staging-"

    /// The report folder.
    let directory: URL
    /// The staging folder inside it.
    let url: URL

    init(in directory: URL) throws {
        self.directory = directory
        Self.removeAbandoned(in: directory)
        url = directory.appendingPathComponent("\(Self.prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        guard mkdir(url.path, 0o755) == 0 else {
            throw ReportFolderError.cannot("make a staging folder in the report folder", url.path, errno)
        }
    }

    /// Writes `text` to `relative` inside the staging folder, making its folders, and
    /// flushes it to disk (once in place it must survive a crash whole).
    func put(_ text: String, _ relative: String) throws {
        let components = relative.split(separator: "/").map(String.init)
        var folder = ""
        for component in components.dropLast() {
            folder += (folder.isEmpty ? "" : "/") + component
            try makeFolder(folder)
        }
        let path = url.appendingPathComponent(relative).path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportFolderError.cannot("write \(relative)", path, errno) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReportFolderError.cannot("write \(relative)", path, errno)
            }
            offset += count
        }
        guard fsync(fd) == 0 else { throw ReportFolderError.cannot("write \(relative)", path, errno) }
    }

    /// Makes the folder `relative` in the staging folder unless it is there.
    func makeFolder(_ relative: String) throws {
        let path = url.appendingPathComponent(relative).path
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw ReportFolderError.cannot("make the folder \(relative)", path, errno)
        }
    }

    /// Puts each named report of the staging folder in place, one atomic swap each. If one
    /// cannot be put in place, those already swapped are swapped back: the report folder is
    /// left as it was.
    func publish(_ names: [String]) throws {
        var placed: [(name: String, replaced: Bool)] = []
        for name in names {
            do {
                placed.append((name, try place(name)))
            } catch {
                for (name, replaced) in placed.reversed() { unplace(name, replaced: replaced) }
                throw error
            }
        }
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Moves `name` from the staging folder to the report folder; what was there moves to
    /// the staging folder. Returns whether something was replaced.
    private func place(_ name: String) throws -> Bool {
        let new = url.appendingPathComponent(name).path
        let old = directory.appendingPathComponent(name).path
        var info = stat()
        if lstat(old, &info) != 0 && errno == ENOENT {
            guard rename(new, old) == 0 else { throw ReportFolderError.cannot("put \(name) in place", old, errno) }
            return false
        }
        try exchange(new, old, name)
        return true
    }

    /// Undoes `place` as far as it can (on the way out of a failure already reported).
    private func unplace(_ name: String, replaced: Bool) {
        let new = url.appendingPathComponent(name).path
        let old = directory.appendingPathComponent(name).path
        if replaced {
            try? exchange(new, old, name)
        } else {
            rename(old, new)
        }
    }

    /// Swaps two names atomically; where the file system cannot (`EINVAL`), moves the one in
    /// place aside first: for that moment there is no report, never a mix.
    private func exchange(_ first: String, _ second: String, _ name: String) throws {
        if cps_rename_exchange(AT_FDCWD, first, AT_FDCWD, second) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else { throw ReportFolderError.cannot("put \(name) in place", second, errno) }
        let aside = url.appendingPathComponent(".aside-\(UUID().uuidString.prefix(8))").path
        guard rename(second, aside) == 0 else { throw ReportFolderError.cannot("put \(name) in place", second, errno) }
        guard rename(first, second) == 0 else {
            let code = errno
            rename(aside, second)
            throw ReportFolderError.cannot("put \(name) in place", second, code)
        }
        rename(aside, first)
    }

    /// Removes the staging folder and everything in it (the replaced reports).
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Staging folders of runs that were killed before they cleaned up (their process is gone).
    static func removeAbandoned(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap { pid_t($0) }
            if let pid, pid != getpid(), kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
