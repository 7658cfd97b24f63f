import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The content hash of a submission folder: what `course grade --only-new` compares to
/// decide that a submission has not changed since it was last graded.
///
/// The hash covers the relative path and the bytes of every regular file, and the target
/// text of every symbolic link, so any change to a file's content or name (or a file added
/// or removed) changes it. It is stable across runs and machines: entries are sorted by the
/// raw bytes of their paths (no locale, no Unicode normalisation), and nothing that depends
/// on the machine is included: no timestamps, owners or permission bits (git does not carry
/// them faithfully either), and no empty folders.
///
/// Left out, because tools write them and people do not: version-control metadata, build
/// outputs and caches that can be recognised by name or by a `CACHEDIR.TAG` file, and
/// Finder's `.DS_Store`. A Go binary that `go build` leaves in the folder cannot be told
/// from a file the learner wrote, so it is hashed; the grader builds in a copy.
///
/// Submissions are untrusted: links are never followed (a link to `/etc/passwd` is hashed as
/// the text `/etc/passwd`), FIFOs, sockets and devices are skipped without being opened, and
/// every file is opened relative to its already-opened folder with `O_NOFOLLOW`, so a folder
/// swapped for a link mid-walk cannot lead the walk outside.
///
/// Layout of the hashed stream (version 1): the line `course-submission-hash/1\n`, then per
/// entry in path order: a kind byte (`f` file, `l` link), the path's length as a 64-bit
/// big-endian number, the path (UTF-8 bytes as on disk, `/`-separated), and the 32-byte
/// SHA-256 of the file's content or of the link's target text.
public enum SubmissionHasher {
    static let header = "course-submission-hash/1\n"

    /// Folders skipped wherever they appear.
    static let skippedFolders: Set<String> = [
        ".git", ".hg", ".svn", // version control
        ".build", // SwiftPM
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", // Python
        "node_modules", // npm installs it from the lock file
        ".gradle", ".zig-cache", "zig-cache",
    ]
    /// Files skipped wherever they appear (`.git` is a file in a worktree or submodule).
    static let skippedFiles: Set<String> = [".git", ".DS_Store"]
    /// Compiler outputs recognised by extension.
    static let skippedExtensions: Set<String> = ["pyc", "pyo", "o", "class"]
    /// A folder whose `CACHEDIR.TAG` starts with this is a cache (bford.info/cachedir; Cargo's
    /// `target/` has one).
    static let cacheTagSignature = Array("Signature: 8a477f597d28d172789f06886806bc55".utf8)
    /// Deeper nesting than this is refused rather than walked (each level holds a descriptor).
    static let maximumDepth = 128

    public static func hash(folder: URL) throws -> String {
        var hasher = SHA256()
        hasher.update(Array(header.utf8))
        for entry in try entries(folder: folder) {
            hasher.update([entry.kind.rawValue])
            var length = UInt64(entry.path.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update($0) }
            hasher.update(entry.path)
            hasher.update(entry.digest)
        }
        return SHA256.hex(hasher.finalize())
    }

    /// One hashed file or link.
    struct Entry: Equatable {
        enum Kind: UInt8 {
            case file = 0x66 // "f"
            case link = 0x6c // "l"
        }

        var kind: Kind
        /// Relative to the submission folder, `/`-separated, as raw bytes.
        var path: [UInt8]
        /// SHA-256 of the content (file) or of the target text (link).
        var digest: [UInt8]

        var displayPath: String { String(decoding: path, as: UTF8.self) }
    }

    /// Every entry the hash covers, sorted by path bytes.
    static func entries(folder: URL) throws -> [Entry] {
        let root = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            throw CourseError("cannot read the submission folder: \(String(cString: strerror(errno)))", file: folder.path)
        }
        defer { close(root) }
        var walk = Walk(root: folder)
        try walk.visit(directory: root, prefix: [], depth: 0)
        return walk.entries.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }

    /// The recursive walk over open directory descriptors.
    private struct Walk {
        let root: URL
        var entries: [Entry] = []

        mutating func visit(directory fd: Int32, prefix: [UInt8], depth: Int) throws {
            guard depth < SubmissionHasher.maximumDepth else {
                throw failure("folders are nested more than \(SubmissionHasher.maximumDepth) deep", prefix)
            }
            // Not at the root: a tag there would blank the whole hash, and `--only-new` would
            // never grade that submission again.
            if depth > 0 && isCacheFolder(fd) { return }
            for name in try names(in: fd, prefix: prefix) {
                let path = prefix.isEmpty ? name : prefix + [0x2f] + name
                let text = String(decoding: name, as: UTF8.self)
                var info = stat()
                guard cName(name, { fstatat(fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                    throw failure(String(cString: strerror(errno)), path)
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if SubmissionHasher.skippedFolders.contains(text) { continue }
                    let child = cName(name) { openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                    guard child >= 0 else { throw failure(String(cString: strerror(errno)), path) }
                    defer { close(child) }
                    try visit(directory: child, prefix: path, depth: depth + 1)
                case S_IFREG:
                    if isSkippedFile(text) { continue }
                    entries.append(Entry(kind: .file, path: path, digest: try digest(ofFile: name, in: fd, path: path)))
                case S_IFLNK:
                    entries.append(Entry(kind: .link, path: path, digest: try digest(ofLink: name, in: fd, path: path)))
                default:
                    continue // FIFOs, sockets, devices: no content to hash, and opening a FIFO blocks
                }
            }
        }

        private func isSkippedFile(_ name: String) -> Bool {
            if SubmissionHasher.skippedFiles.contains(name) { return true }
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
            return SubmissionHasher.skippedExtensions.contains(String(name[name.index(after: dot)...]))
        }

        /// The names in the directory, without `.` and `..`, as raw bytes.
        private func names(in fd: Int32, prefix: [UInt8]) throws -> [[UInt8]] {
            // fdopendir takes ownership of the descriptor it is given, so give it a copy.
            let copy = dup(fd)
            guard copy >= 0, let directory = fdopendir(copy) else {
                if copy >= 0 { close(copy) }
                throw failure(String(cString: strerror(errno)), prefix)
            }
            defer { closedir(directory) }
            var names: [[UInt8]] = []
            while true {
                errno = 0
                guard let entry = readdir(directory) else {
                    if errno != 0 { throw failure(String(cString: strerror(errno)), prefix) }
                    break
                }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    Array(raw.prefix { $0 != 0 })
                }
                if name == [0x2e] || name == [0x2e, 0x2e] { continue }
                names.append(name)
            }
            return names
        }

        private func isCacheFolder(_ fd: Int32) -> Bool {
            let tag = openat(fd, "CACHEDIR.TAG", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard tag >= 0 else { return false }
            defer { close(tag) }
            let signature = SubmissionHasher.cacheTagSignature
            var buffer = [UInt8](repeating: 0, count: signature.count)
            let count = buffer.withUnsafeMutableBytes { read(tag, $0.baseAddress, signature.count) }
            return count == signature.count && buffer == signature
        }

        private func digest(ofFile name: [UInt8], in fd: Int32, path: [UInt8]) throws -> [UInt8] {
            let file = cName(name) { openat(fd, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            guard file >= 0 else { throw failure(String(cString: strerror(errno)), path) }
            defer { close(file) }
            // The name was a regular file a moment ago; make sure it still is what was opened.
            var info = stat()
            guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                throw failure("changed while it was being hashed", path)
            }
            var hasher = SHA256()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(String(cString: strerror(errno)), path)
                }
                if count == 0 { break }
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            return hasher.finalize()
        }

        private func digest(ofLink name: [UInt8], in fd: Int32, path: [UInt8]) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = buffer.withUnsafeMutableBytes { raw in
                cName(name) { readlinkat(fd, $0, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count) }
            }
            guard count >= 0 else { throw failure(String(cString: strerror(errno)), path) }
            var hasher = SHA256()
            hasher.update(Array(buffer[0..<count]))
            return hasher.finalize()
        }

        /// Calls `body` with `name` as a NUL-terminated C string, bytes unchanged (a name
        /// need not be valid UTF-8, so it never goes through `String`).
        private func cName<R>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
            (name + [0]).withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
            }
        }

        private func failure(_ reason: String, _ path: [UInt8]) -> CourseError {
            let file = path.isEmpty ? root.path : root.appendingPathComponent(String(decoding: path, as: UTF8.self)).path
            return CourseError("cannot hash the submission: \(reason)", file: file)
        }
    }
}
