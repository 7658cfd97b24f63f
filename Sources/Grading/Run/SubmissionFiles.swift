import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A submission folder, read without trusting it. The grader runs as root and a submission
/// is a learner's folder, so every read goes through here: the manifest reader, the copy
/// into the work folder and the content hash.
///
/// * Nothing is followed: every name is looked at with `fstatat(AT_SYMLINK_NOFOLLOW)` and
///   opened relative to its already-open folder with `O_NOFOLLOW`, so neither a link nor a
///   folder swapped for a link mid-walk can lead a read outside the submission. Links are
///   reported as links (their target text), for the copy to recreate as links: inside the
///   sandbox they resolve as the unprivileged user.
/// * Files are opened with `O_NONBLOCK` and checked with `fstat` on the opened descriptor,
///   so what is read is what was checked (no check-then-open race), and a FIFO put in a
///   file's place cannot block the open.
/// * A FIFO, socket or device is refused when the walk meets it, never opened: a submission
///   may hold only regular files, folders and symlinks.
///
/// Everything that is the submission's doing throws `SubmissionRefused`, naming the path
/// relative to the submission (under the folder's own name, not the grader's full path).
public final class SubmissionFiles {
    /// Deeper nesting than this is refused rather than walked (each level holds a descriptor).
    public static let maximumDepth = 128
    /// The most a submission may hold, in bytes of regular files and in names, before the
    /// grader copies or hashes any of it: a learner's Go project is kilobytes (vendored
    /// modules, a few megabytes); 200 GB of files must not fill the grader's disk.
    public static let maximumBytes = 512 << 20
    public static let maximumEntries = 100_000

    public let url: URL
    /// The folder's name, which messages put in front of relative paths.
    public let label: String
    /// The submission folder itself, open.
    let root: Folder

    /// Opens `url`, which must be a folder and not a link to one (a link could point the
    /// grader at any folder on the machine). A missing folder is the caller's input error
    /// (`CourseError`); a link or special file in its place is refused.
    public init(_ url: URL) throws {
        self.url = url
        label = LearnerText.path(url.lastPathComponent)
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            throw CourseError("cannot read the submission folder: \(String(cString: strerror(errno)))", file: url.path)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            break
        case S_IFLNK:
            throw SubmissionRefused("the submission folder \(url.path) is a symbolic link, which the grader does not follow",
                                    hint: "name the folder it points to")
        default:
            throw CourseError("the submission \(url.path) is not a folder")
        }
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw CourseError("cannot read the submission folder: \(String(cString: strerror(errno)))", file: url.path)
        }
        root = Folder(fd: fd, path: [], depth: 0, label: label)
    }

    /// What an entry of a folder is. Anything else is refused before it gets here.
    public enum Kind: Sendable, Equatable {
        case file, folder, link
    }

    /// One name in a folder, as `lstat` saw it.
    struct Entry {
        /// The name, raw bytes (a name need not be valid UTF-8, so it never goes through
        /// `String` on its way back to the file system).
        let name: [UInt8]
        /// Relative to the submission folder, `/`-separated.
        let path: [UInt8]
        let kind: Kind
        /// Permission bits.
        let mode: mode_t
        /// Bytes, for a regular file.
        var size = 0

        var nameText: String { String(decoding: name, as: UTF8.self) }
    }

    /// `<label>/<path>`, escaped: how a message names a file of the submission.
    static func display(_ label: String, _ path: [UInt8]) -> String {
        path.isEmpty ? label : label + "/" + LearnerText.path(String(decoding: path, as: UTF8.self))
    }

    /// How a message names the submission's file at `path`.
    func display(_ path: String) -> String {
        Self.display(label, Array(path.utf8))
    }

    /// Reads a regular file directly in the submission folder (`course.yaml`): nil when
    /// there is none; refused when the name is a link, a folder or a special file, or when
    /// the file is larger than `limit` bytes (it is never read into memory whole).
    public func readTopLevelFile(_ name: String, limit: Int) throws -> Data? {
        guard let file = try root.regularFile(named: name) else { return nil }
        let shown = display(name)
        guard file.size <= limit else {
            throw SubmissionRefused("\(shown) is larger than \(limit / 1024) KB (\(file.size) bytes), too large to be read",
                                    hint: "\(name) holds a few lines of settings")
        }
        let bytes = try file.read(upTo: limit + 1)
        guard bytes.count <= limit else {
            throw SubmissionRefused("\(shown) grew past \(limit / 1024) KB while it was being read")
        }
        return Data(bytes)
    }

    /// Walks the whole submission, looking at names and sizes only, and refuses it when it
    /// holds more than `maximumBytes` or `maximumEntries`: the copy and the hash call this
    /// before they read a byte.
    public func checkSize(maximumBytes: Int = SubmissionFiles.maximumBytes, maximumEntries: Int = SubmissionFiles.maximumEntries) throws {
        var bytes = 0
        var count = 0
        func walk(_ folder: Folder) throws {
            for entry in try folder.entries() {
                count += 1
                bytes += entry.kind == .file ? entry.size : 0
                if count > maximumEntries {
                    throw SubmissionRefused("\(label) holds more than \(maximumEntries) files and folders, more than the grader copies",
                                            hint: "leave build output and downloaded dependencies out of the submission")
                }
                if bytes > maximumBytes {
                    throw SubmissionRefused("\(label) holds more than \(maximumBytes >> 20) MB of files, more than the grader copies",
                                            hint: "leave build output, data files and downloaded dependencies out of the submission")
                }
                if entry.kind == .folder { try walk(try folder.folder(entry)) }
            }
        }
        try walk(root)
    }

    // MARK: Folders and files

    /// An open folder of the submission.
    final class Folder {
        let fd: Int32
        let path: [UInt8]
        let depth: Int
        let label: String

        init(fd: Int32, path: [UInt8], depth: Int, label: String) {
            self.fd = fd
            self.path = path
            self.depth = depth
            self.label = label
        }

        deinit { close(fd) }

        func display(_ path: [UInt8]) -> String { SubmissionFiles.display(label, path) }

        func child(_ name: [UInt8]) -> [UInt8] { path.isEmpty ? name : path + [0x2f] + name }

        /// The folder's entries sorted by name bytes, without `.` and `..`. The first FIFO,
        /// socket or device among them is refused.
        func entries() throws -> [Entry] {
            var entries: [Entry] = []
            for name in try names() {
                let path = child(name)
                var info = stat()
                guard withCName(name, { fstatat(fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                    throw unreadable(path, errno)
                }
                let kind: Kind
                switch info.st_mode & S_IFMT {
                case S_IFREG: kind = .file
                case S_IFDIR: kind = .folder
                case S_IFLNK: kind = .link
                default: throw SubmissionFiles.special(info.st_mode, display(path))
                }
                entries.append(Entry(name: name, path: path, kind: kind, mode: info.st_mode & 0o7777, size: Int(info.st_size)))
            }
            return entries
        }

        /// Opens a subfolder, refusing to go deeper than `maximumDepth`.
        func folder(_ entry: Entry) throws -> Folder {
            guard depth + 1 < SubmissionFiles.maximumDepth else {
                throw SubmissionRefused("\(display(entry.path)): folders are nested more than \(SubmissionFiles.maximumDepth) deep")
            }
            let child = withCName(entry.name) { openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard child >= 0 else { throw unreadable(entry.path, errno) }
            return Folder(fd: child, path: entry.path, depth: depth + 1, label: label)
        }

        /// Opens a regular file for reading; whatever was opened must still be one.
        func file(_ entry: Entry) throws -> OpenFile {
            let file = withCName(entry.name) { openat(fd, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            guard file >= 0 else {
                if errno == ELOOP { throw changed(entry.path) }
                throw unreadable(entry.path, errno)
            }
            let opened = OpenFile(fd: file, path: entry.path, label: label)
            var info = stat()
            guard fstat(file, &info) == 0 else { throw unreadable(entry.path, errno) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw changed(entry.path) }
            opened.size = Int(info.st_size)
            return opened
        }

        /// The text a link holds (never what it points to).
        func linkTarget(_ entry: Entry) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = buffer.withUnsafeMutableBytes { raw in
                withCName(entry.name) { readlinkat(fd, $0, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count) }
            }
            guard count >= 0 else {
                if errno == EINVAL { throw changed(entry.path) }
                throw unreadable(entry.path, errno)
            }
            return Array(buffer[0..<count])
        }

        /// The regular file `name` in this folder, or nil when there is no such name. A
        /// link, folder or special file of that name is refused: a file the grader reads for
        /// itself must be the submission's own.
        func regularFile(named name: String) throws -> OpenFile? {
            let bytes = Array(name.utf8)
            var info = stat()
            guard withCName(bytes, { fstatat(fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                if errno == ENOENT { return nil }
                throw unreadable(child(bytes), errno)
            }
            let shown = display(child(bytes))
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                return try file(Entry(name: bytes, path: child(bytes), kind: .file, mode: info.st_mode & 0o7777))
            case S_IFLNK:
                throw SubmissionRefused("\(shown) is a symbolic link: it must be a regular file of the submission (the grader does not follow links)",
                                        hint: "replace the link with the file itself")
            case S_IFDIR:
                throw SubmissionRefused("\(shown) is a folder, not a file")
            default:
                throw SubmissionFiles.special(info.st_mode, shown)
            }
        }

        /// A file that is a regular file, or nil for anything else (no such name, a link,
        /// a special file): for optional markers such as `CACHEDIR.TAG`, never an error.
        func regularFileIfAny(named name: String) -> OpenFile? {
            try? regularFile(named: name)
        }

        /// The names in the folder, without `.` and `..`, sorted by their bytes.
        private func names() throws -> [[UInt8]] {
            // fdopendir takes ownership of the descriptor it is given, so give it a copy; a
            // copy shares the read position, so start from the beginning.
            let copy = dup(fd)
            guard copy >= 0, let directory = fdopendir(copy) else {
                let code = errno
                if copy >= 0 { close(copy) }
                throw unreadable(path, code)
            }
            defer { closedir(directory) }
            rewinddir(directory)
            var names: [[UInt8]] = []
            while true {
                errno = 0
                guard let entry = readdir(directory) else {
                    if errno != 0 { throw unreadable(path, errno) }
                    break
                }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                if name == [0x2e] || name == [0x2e, 0x2e] { continue }
                names.append(name)
            }
            return names.sorted { $0.lexicographicallyPrecedes($1) }
        }

        private func unreadable(_ path: [UInt8], _ code: Int32) -> SubmissionRefused {
            SubmissionRefused("\(display(path)) cannot be read: \(String(cString: strerror(code)))")
        }

        private func changed(_ path: [UInt8]) -> SubmissionRefused {
            SubmissionRefused("\(display(path)) changed while it was being read")
        }
    }

    /// A regular file of the submission, open for reading.
    final class OpenFile {
        let fd: Int32
        let path: [UInt8]
        let label: String
        var size = 0

        init(fd: Int32, path: [UInt8], label: String) {
            self.fd = fd
            self.path = path
            self.label = label
        }

        deinit { close(fd) }

        /// Calls `body` with each piece of the file in order.
        func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw SubmissionRefused("\(SubmissionFiles.display(label, path)) cannot be read: \(String(cString: strerror(errno)))")
                }
                if count == 0 { return }
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
        }

        /// At most `limit` bytes from the start.
        func read(upTo limit: Int) throws -> [UInt8] {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: min(limit, 1 << 16))
            while bytes.count < limit {
                let want = min(buffer.count, limit - bytes.count)
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw SubmissionRefused("\(SubmissionFiles.display(label, path)) cannot be read: \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                bytes += buffer[0..<count]
            }
            return bytes
        }
    }

    /// The refusal for a FIFO, socket or device.
    static func special(_ mode: mode_t, _ shown: String) -> SubmissionRefused {
        let what: String
        switch mode & S_IFMT {
        case S_IFIFO: what = "a FIFO (named pipe)"
        case S_IFSOCK: what = "a socket"
        case S_IFCHR: what = "a character device"
        case S_IFBLK: what = "a block device"
        default: what = "a special file"
        }
        return SubmissionRefused("\(shown) is \(what): a submission may hold only regular files, folders and symlinks",
                                 hint: "remove it from the submission")
    }
}

/// Calls `body` with `name` as a NUL-terminated C string, bytes unchanged.
func withCName<R>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    (name + [0]).withUnsafeBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
}
