import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Changes to the files under a folder, from Linux inotify: one watch per folder, added
/// for every folder below the root and for each new one as it appears.
///
/// Build output, version control and editor scratch files are not the learner's code, so
/// they are ignored: `.course-bin`, `.git`, vim's swap files and its `4913` write test,
/// backups ending in `~`, emacs lock and autosave files. Editors that save through a
/// temporary file of any other name (`sed -i`'s `sedhp8Tq5`, JetBrains' `___jb_tmp___`)
/// are caught by what they do: a file that appeared and is gone again when the changes
/// settle was never the learner's code (`settled(_:)`).
final class FileWatcher {
    /// Readable (for `poll`) when events are waiting.
    let descriptor: Int32
    let root: URL
    private var folders: [Int32: String] = [:]
    /// Paths that appeared (created, or moved in) since the last `settled(_:)`.
    private var appeared: Set<String> = []

    private static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE
                                              | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR)

    init(root: URL) throws {
        self.root = root.standardizedFileURL
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw CourseError("cannot watch files: inotify_init1: \(String(cString: strerror(errno)))")
        }
        try addTree("")
    }

    deinit {
        close(descriptor)
    }

    /// Whether a file or folder with this name is never the learner's code.
    static func ignores(_ name: String) -> Bool {
        if [".course-bin", ".git", ".hg", ".svn", "4913", ".DS_Store"].contains(name) { return true }
        if name.hasSuffix("~") || name.hasPrefix(".#") { return true }
        if name.hasPrefix("#") && name.hasSuffix("#") { return true }
        for suffix in [".swp", ".swo", ".swx", ".tmp"] where name.hasSuffix(suffix) { return true }
        return false
    }

    /// Watches the folder at `relative` (below the root) and every folder inside it.
    private func addTree(_ relative: String) throws {
        let path = relative.isEmpty ? root.path : root.path + "/" + relative
        let wd = inotify_add_watch(descriptor, path, Self.mask)
        if wd < 0 {
            // The folder may be gone again already; only the root must be watchable.
            if relative.isEmpty {
                throw CourseError("cannot watch \(path): \(String(cString: strerror(errno)))",
                                  hint: errno == ENOSPC ? "raise fs.inotify.max_user_watches, or watch a smaller folder" : nil)
            }
            return
        }
        folders[wd] = relative
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in entries.sorted() where !Self.ignores(name) {
            var isDirectory: ObjCBool = false
            let child = relative.isEmpty ? name : relative + "/" + name
            if FileManager.default.fileExists(atPath: root.path + "/" + child, isDirectory: &isDirectory), isDirectory.boolValue {
                try addTree(child)
            }
        }
    }

    /// Reads the events waiting (never blocks) and returns the paths, relative to the
    /// root, of what changed; new folders are watched from now on.
    func readChanges() -> [String] {
        var changed: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { bytes in
                    (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset += 16 + length
                if let change = handle(wd: wd, mask: mask, name: name) { changed.append(change) }
            }
        }
        return changed
    }

    private func handle(wd: Int32, mask: UInt32, name: String) -> String? {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            // Events were lost: watch any folder made meanwhile, and run the check anyway.
            try? addTree("")
            return "(many files)"
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[wd] = nil
            return nil
        }
        guard let folder = folders[wd] else { return nil }
        if mask & UInt32(IN_DELETE_SELF) != 0 { return folder.isEmpty ? "." : folder }
        guard !name.isEmpty, !Self.ignores(name) else { return nil }
        if !folder.split(separator: "/").allSatisfy({ !Self.ignores(String($0)) }) { return nil }
        let relative = folder.isEmpty ? name : folder + "/" + name
        if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            try? addTree(relative)
        }
        if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { appeared.insert(relative) }
        return relative
    }

    /// The changes of a settled burst, `changes`, without the temporary files in it: those
    /// that appeared during the burst and are gone at its end. Starts the next burst.
    func settled(_ changes: [String]) -> [String] {
        defer { appeared = [] }
        return changes.filter { path in
            !(appeared.contains(path) && !FileManager.default.fileExists(atPath: root.path + "/" + path))
        }
    }
}
