import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pair of cgroup-v1 groups (pids and memory) for one run of a submission: they cap its
/// process count and memory whatever uid it runs as, tell afterwards whether a cap was hit,
/// and list every process still in them at teardown, however it escaped its process group.
///
/// Only available to root with cgroup v1 controllers mounted under `/sys/fs/cgroup`
/// (this machine and CI); elsewhere `make` returns nil and the runner falls back to
/// rlimits and an RSS monitor.
public final class ResourceGroup: @unchecked Sendable {
    public let name: String
    let pidsPath: String
    let memoryPath: String

    static let root = "/sys/fs/cgroup"

    /// A new pair of groups below `parent` (a run's `Scratch.cgroupParent`), named after this
    /// process so a killed grading worker's groups can be found (`removeAll(ownedBy:)`).
    public static func make(processes: Int, memoryMB: Int, parent: String) -> ResourceGroup? {
        guard geteuid() == 0,
              FileManager.default.isWritableFile(atPath: "\(root)/pids"),
              FileManager.default.isWritableFile(atPath: "\(root)/memory") else { return nil }
        for controller in ["pids", "memory"] {
            if mkdir("\(root)/\(controller)/\(parent)", 0o755) != 0 && errno != EEXIST { return nil }
        }
        let name = "\(parent)/\(getpid())-\(UUID().uuidString.prefix(8))"
        let group = ResourceGroup(name: name)
        do {
            try FileManager.default.createDirectory(atPath: group.pidsPath, withIntermediateDirectories: false)
            try FileManager.default.createDirectory(atPath: group.memoryPath, withIntermediateDirectories: false)
            try write("\(processes)", to: "\(group.pidsPath)/pids.max")
            let bytes = memoryMB * 1024 * 1024
            try write("\(bytes)", to: "\(group.memoryPath)/memory.limit_in_bytes")
            // Without swap accounting this file is absent; then swap is simply not capped.
            try? write("\(bytes)", to: "\(group.memoryPath)/memory.memsw.limit_in_bytes")
            try? write("1", to: "\(group.memoryPath)/memory.swappiness")
        } catch {
            group.remove()
            return nil
        }
        return group
    }

    init(name: String) {
        self.name = name
        pidsPath = "\(Self.root)/pids/\(name)"
        memoryPath = "\(Self.root)/memory/\(name)"
    }

    /// A shell prefix that moves the shell into both groups, then `exec`s the command: the
    /// program starts inside the groups, with no moment outside them to fork from.
    public var joinCommand: [String] {
        ["/bin/sh", "-c", "echo $$ > \(pidsPath)/cgroup.procs && echo $$ > \(memoryPath)/cgroup.procs && exec \"$@\"", "course-cgroup"]
    }

    /// Processes still in the groups.
    public var members: [pid_t] {
        let text = (try? String(contentsOfFile: "\(pidsPath)/cgroup.procs", encoding: .utf8)) ?? ""
        let more = (try? String(contentsOfFile: "\(memoryPath)/cgroup.procs", encoding: .utf8)) ?? ""
        return Array(Set((text + "\n" + more).split(separator: "\n").compactMap { pid_t($0) }))
    }

    /// True when a fork was refused because of the process cap.
    public var hitProcessLimit: Bool {
        guard let events = try? String(contentsOfFile: "\(pidsPath)/pids.events", encoding: .utf8) else { return false }
        return events.split(separator: "\n").contains { line in
            line.hasPrefix("max ") && Int(line.dropFirst(4)) ?? 0 > 0
        }
    }

    /// True when the kernel killed a member for exceeding the memory cap.
    public var hitMemoryLimit: Bool {
        if let control = try? String(contentsOfFile: "\(memoryPath)/memory.oom_control", encoding: .utf8),
           control.split(separator: "\n").contains(where: { $0.hasPrefix("oom_kill ") && Int($0.dropFirst(9)) ?? 0 > 0 }) {
            return true
        }
        let failures = (try? String(contentsOfFile: "\(memoryPath)/memory.failcnt", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return failures > 0 && peakBytes >= limitBytes - 4096 * 16
    }

    var peakBytes: Int {
        (try? String(contentsOfFile: "\(memoryPath)/memory.max_usage_in_bytes", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    var limitBytes: Int {
        (try? String(contentsOfFile: "\(memoryPath)/memory.limit_in_bytes", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? Int.max
    }

    /// SIGKILLs every member until none is left (or two seconds pass).
    public func killAll() {
        for _ in 0..<200 {
            let pids = members
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    /// Kills what is left and removes the groups.
    public func remove() {
        killAll()
        for _ in 0..<100 {
            let a = rmdir(pidsPath) == 0 || errno == ENOENT
            let b = rmdir(memoryPath) == 0 || errno == ENOENT
            if a && b { return }
            usleep(10_000)
        }
    }

    static func write(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}

extension ResourceGroup {
    /// Removes the groups a process made below `parent` and kills what is in them: for a
    /// grading worker that was killed before it could clean up.
    public static func removeAll(ownedBy pid: pid_t, parent: String) {
        for name in children(of: parent) where name.hasPrefix("\(pid)-") {
            ResourceGroup(name: "\(parent)/\(name)").remove()
        }
    }

    /// Removes a run's parent group with every group below it, killing their members.
    /// Returns how many groups below it there were.
    @discardableResult
    static func removeParent(_ parent: String) -> Int {
        let names = children(of: parent)
        for name in names { ResourceGroup(name: "\(parent)/\(name)").remove() }
        ResourceGroup(name: parent).remove()
        return names.count
    }

    /// The owners ("PID-STARTTIME") of the run parents that exist, from either controller.
    static func parents() -> [String] {
        var owners: Set<String> = []
        for controller in ["pids", "memory"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(controller)")) ?? []
            where name.hasPrefix(Scratch.groupPrefix) {
                owners.insert(String(name.dropFirst(Scratch.groupPrefix.count)))
            }
        }
        return owners.sorted()
    }

    /// Names of the groups directly below `parent`, in either controller.
    static func children(of parent: String) -> [String] {
        var names: Set<String> = []
        for controller in ["pids", "memory"] {
            let folder = "\(root)/\(controller)/\(parent)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isDirectory), isDirectory.boolValue {
                    names.insert(name)
                }
            }
        }
        return names.sorted()
    }
}
