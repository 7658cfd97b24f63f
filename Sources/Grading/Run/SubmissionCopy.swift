import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SubmissionFiles {
    /// Copies the submission into `destination` (which must not exist yet): folders and
    /// regular files with their permission bits (without set-id bits, and always readable and
    /// writable by their owner: it is the program's own work copy), links as links with the
    /// same target text, never what they point to. With `owner`, everything made is given to
    /// that uid and gid (the sandbox user), so the program can write there.
    ///
    /// Names in `skipping` are left out at the top level (`.course-bin`, the grader's own
    /// build output). What the submission holds that cannot be copied (a FIFO, a device, a
    /// file that cannot be read) throws `SubmissionRefused`; a failure on the grader's side
    /// (a full disk) throws `CourseError`.
    public func copy(to destination: URL, owner: uid_t? = nil, skipping: Set<String> = []) throws {
        try checkSize()
        guard mkdir(destination.path, 0o700) == 0 else { throw Self.copyFailure(destination.path, errno) }
        let target = open(destination.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard target >= 0 else { throw Self.copyFailure(destination.path, errno) }
        defer { close(target) }
        let copier = Copier(owner: owner, destination: destination)
        try copier.copyContents(of: root, into: target, skipping: Set(skipping.map { Array($0.utf8) }))
        var info = stat()
        fstat(root.fd, &info)
        try copier.finish(folder: target, mode: info.st_mode, path: [])
    }

    /// A failure writing the work folder: the grader's, not the submission's.
    static func copyFailure(_ path: String, _ code: Int32) -> CourseError {
        CourseError("cannot copy the submission into the work folder: \(String(cString: strerror(code)))", file: path)
    }

    private struct Copier {
        let owner: uid_t?
        let destination: URL

        func copyContents(of folder: Folder, into target: Int32, skipping: Set<[UInt8]> = []) throws {
            for entry in try folder.entries() where !skipping.contains(entry.name) {
                switch entry.kind {
                case .folder:
                    let source = try folder.folder(entry)
                    guard withCName(entry.name, { mkdirat(target, $0, 0o700) }) == 0 else { throw failure(entry.path, errno) }
                    let child = withCName(entry.name) { openat(target, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                    guard child >= 0 else { throw failure(entry.path, errno) }
                    defer { close(child) }
                    try copyContents(of: source, into: child)
                    try finish(folder: child, mode: entry.mode, path: entry.path)
                case .file:
                    try copyFile(try folder.file(entry), named: entry.name, mode: entry.mode, into: target, path: entry.path)
                case .link:
                    let text = try folder.linkTarget(entry)
                    let made = withCName(text) { linkText in withCName(entry.name) { symlinkat(linkText, target, $0) } }
                    guard made == 0 else { throw failure(entry.path, errno) }
                    if let owner {
                        guard withCName(entry.name, { fchownat(target, $0, owner, owner, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                            throw failure(entry.path, errno)
                        }
                    }
                }
            }
        }

        private func copyFile(_ source: OpenFile, named name: [UInt8], mode: mode_t, into target: Int32, path: [UInt8]) throws {
            let out = withCName(name) { openat(target, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }
            guard out >= 0 else { throw failure(path, errno) }
            defer { close(out) }
            try source.forEachChunk { chunk in
                var offset = 0
                while offset < chunk.count {
                    let written = write(out, chunk.baseAddress! + offset, chunk.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure(path, errno)
                    }
                    offset += written
                }
            }
            if let owner, fchown(out, owner, owner) != 0 { throw failure(path, errno) }
            // After the owner: chown clears set-id bits anyway, and they are not copied.
            guard fchmod(out, (mode & 0o777) | 0o600) == 0 else { throw failure(path, errno) }
        }

        /// A folder's owner and mode, set once its contents are in (a read-only folder is
        /// still filled as the grader's own).
        func finish(folder: Int32, mode: mode_t, path: [UInt8]) throws {
            if let owner, fchown(folder, owner, owner) != 0 { throw failure(path, errno) }
            guard fchmod(folder, (mode & 0o777) | 0o700) == 0 else { throw failure(path, errno) }
        }

        private func failure(_ path: [UInt8], _ code: Int32) -> CourseError {
            let full = path.isEmpty ? destination.path : destination.path + "/" + LearnerText.path(String(decoding: path, as: UTF8.self))
            return SubmissionFiles.copyFailure(full, code)
        }
    }
}
