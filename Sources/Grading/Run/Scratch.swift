import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Everything one `course` process makes while it grades, in two places named after it:
/// a folder in the temporary folder (`course-scratch-OWNER/`: work copies of submissions,
/// worker logs and results, mutant overlays) and one cgroup parent per controller
/// (`course-OWNER/`, each program run a group below it). OWNER is the process's pid and
/// start time, so a pid the system reuses never passes for the owner.
///
/// A run that ends removes its own (`remove()`); one killed with `kill -9` cannot, so the
/// next run removes what belongs to owners that are gone (`sweepAbandoned()`) and says so.
/// Grading workers use the scratch of the `course grade` that started them.
public struct Scratch: Sendable, Equatable {
    /// "PID-STARTTIME".
    public let owner: String
    public let temporaryDirectory: URL

    /// This process's scratch.
    public static let current = Scratch(owner: token(of: getpid()) ?? "\(getpid())-0")

    public init(owner: String, temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
        self.owner = owner
        self.temporaryDirectory = temporaryDirectory
    }

    static let folderPrefix = "course-scratch-"
    static let groupPrefix = "course-"

    public var folder: URL { temporaryDirectory.appendingPathComponent(Self.folderPrefix + owner) }
    /// The cgroup parent's name under each controller.
    public var cgroupParent: String { Self.groupPrefix + owner }

    /// A new folder inside the scratch folder (made, with the scratch folder if need be).
    public func makeFolder(_ prefix: String) throws -> URL {
        let url = folder.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path for a file in the scratch folder (the folder is made; the file is not).
    public func file(_ prefix: String, suffix: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))\(suffix)")
    }

    /// Removes the scratch folder and the cgroup parents, killing whatever is still in them.
    /// Returns the bytes the folder held.
    @discardableResult
    public func remove() -> Int {
        ResourceGroup.removeParent(cgroupParent)
        let bytes = Self.size(of: folder)
        try? FileManager.default.removeItem(at: folder)
        return bytes
    }

    /// What earlier runs left behind, removed.
    public struct Leftovers: Sendable, Equatable {
        /// The owners ("PID-STARTTIME") whose leftovers were removed.
        public var owners: [String] = []
        public var folders = 0
        public var bytes = 0
        public var cgroups = 0

        public var isEmpty: Bool { owners.isEmpty }

        /// "removed what 2 earlier grading runs left (pids 1234, 5678): 2 work folders (202 MB), 3 cgroups"
        public var description: String {
            let pids = owners.map { String($0.split(separator: "-").first ?? "") }.joined(separator: ", ")
            var parts: [String] = []
            if folders > 0 {
                parts.append("\(folders) scratch folder\(folders == 1 ? "" : "s") (\(Self.megabytes(bytes)))")
            }
            if cgroups > 0 { parts.append("\(cgroups) cgroup\(cgroups == 1 ? "" : "s")") }
            let runs = owners.count == 1 ? "an earlier run (pid \(pids))" : "\(owners.count) earlier runs (pids \(pids))"
            return "removed what \(runs) left behind: \(parts.joined(separator: ", "))"
        }

        static func megabytes(_ bytes: Int) -> String {
            bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(max(1, bytes >> 10)) KB"
        }
    }

    /// Removes the scratch folders in `temporaryDirectory` and the cgroup parents whose
    /// owners are no longer running, killing any process still in those groups.
    public static func sweepAbandoned(temporaryDirectory: URL = FileManager.default.temporaryDirectory) -> Leftovers {
        var leftovers = Leftovers()
        func note(_ owner: String) { if !leftovers.owners.contains(owner) { leftovers.owners.append(owner) } }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path)) ?? []
        for name in names where name.hasPrefix(folderPrefix) {
            let owner = String(name.dropFirst(folderPrefix.count))
            guard isAbandoned(owner) else { continue }
            let url = temporaryDirectory.appendingPathComponent(name)
            leftovers.bytes += size(of: url)
            try? FileManager.default.removeItem(at: url)
            leftovers.folders += 1
            note(owner)
        }
        for owner in ResourceGroup.parents() where isAbandoned(owner) {
            leftovers.cgroups += ResourceGroup.removeParent(groupPrefix + owner)
            note(owner)
        }
        return leftovers
    }

    /// True for "PID-STARTTIME" when no process with that pid and start time runs.
    static func isAbandoned(_ owner: String) -> Bool {
        let parts = owner.split(separator: "-")
        guard parts.count == 2, let pid = pid_t(parts[0]), UInt64(parts[1]) != nil else { return false }
        return token(of: pid) != owner
    }

    /// "PID-STARTTIME" of a running process (start time in clock ticks since boot, field 22
    /// of /proc/PID/stat), nil when it does not run.
    static func token(of pid: pid_t) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, so start time (22) is the 20th.
        guard fields.count > 19 else { return nil }
        return "\(pid)-\(fields[19])"
    }

    static func size(of folder: URL) -> Int {
        var total = 0
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileAllocatedSizeKey, .isSymbolicLinkKey])
        while let file = files?.nextObject() as? URL {
            total += (try? file.resourceValues(forKeys: [.fileAllocatedSizeKey]).fileAllocatedSize) ?? 0
        }
        return total
    }
}
