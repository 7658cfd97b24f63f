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
/// Submissions are untrusted, so the folder is read through `SubmissionFiles`: links are
/// never followed (a link to `/etc/passwd` is hashed as the text `/etc/passwd`), a FIFO,
/// socket or device is refused (`SubmissionRefused`) without being opened, and every file is
/// opened relative to its already-opened folder with `O_NOFOLLOW`, so a folder swapped for a
/// link mid-walk cannot lead the walk outside.
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
        let files = try SubmissionFiles(folder)
        try files.checkSize()
        var entries: [Entry] = []
        try visit(files.root, into: &entries)
        return entries.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }

    /// The walk over a folder and the ones below it (`SubmissionFiles` refuses special
    /// files and never follows a link).
    private static func visit(_ folder: SubmissionFiles.Folder, into entries: inout [Entry]) throws {
        // Not at the root: a tag there would blank the whole hash, and `--only-new` would
        // never grade that submission again.
        if folder.depth > 0 && isCacheFolder(folder) { return }
        for entry in try folder.entries() {
            switch entry.kind {
            case .folder:
                if skippedFolders.contains(entry.nameText) { continue }
                try visit(try folder.folder(entry), into: &entries)
            case .file:
                if isSkippedFile(entry.nameText) { continue }
                var hasher = SHA256()
                try folder.file(entry).forEachChunk { hasher.update($0) }
                entries.append(Entry(kind: .file, path: entry.path, digest: hasher.finalize()))
            case .link:
                var hasher = SHA256()
                hasher.update(try folder.linkTarget(entry))
                entries.append(Entry(kind: .link, path: entry.path, digest: hasher.finalize()))
            }
        }
    }

    private static func isSkippedFile(_ name: String) -> Bool {
        if skippedFiles.contains(name) { return true }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return skippedExtensions.contains(String(name[name.index(after: dot)...]))
    }

    private static func isCacheFolder(_ folder: SubmissionFiles.Folder) -> Bool {
        guard let tag = folder.regularFileIfAny(named: "CACHEDIR.TAG"),
              let head = try? tag.read(upTo: cacheTagSignature.count) else { return false }
        return head == cacheTagSignature
    }
}
