import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot of the process table from `/proc`: who is whose child, and how much memory
/// each holds. Used to find everything a submission started (a daemon that called `setsid`
/// leaves its process group but stays a descendant, or is re-parented to the grader, which
/// is a child subreaper) and to measure its memory when no cgroup does.
public struct ProcessTree: Sendable {
    public struct Entry: Sendable {
        public let pid: pid_t
        public let parent: pid_t
        public let group: pid_t
        public let residentBytes: Int
        public let command: String
    }

    public let entries: [pid_t: Entry]

    public static func read() -> ProcessTree {
        var entries: [pid_t: Entry] = [:]
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return ProcessTree(entries: [:]) }
        for name in names {
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8) else { continue }
            // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
            //  utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss"
            guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let command = String(stat[stat.index(after: open)..<close])
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 21, let parent = pid_t(fields[1]), let group = pid_t(fields[2]), let rss = Int(fields[21]) else { continue }
            entries[pid] = Entry(pid: pid, parent: parent, group: group, residentBytes: rss * pageSize, command: command)
        }
        return ProcessTree(entries: entries)
    }

    /// Every process below `root` (not `root` itself).
    public func descendants(of root: pid_t) -> [Entry] {
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries.values { children[entry.parent, default: []].append(entry.pid) }
        var out: [Entry] = []
        var queue = children[root] ?? []
        while let pid = queue.popLast() {
            if let entry = entries[pid] { out.append(entry) }
            queue.append(contentsOf: children[pid] ?? [])
        }
        return out
    }

    /// Resident memory of `root` and all its descendants.
    public func residentBytes(under root: pid_t) -> Int {
        (entries[root]?.residentBytes ?? 0) + descendants(of: root).reduce(0) { $0 + $1.residentBytes }
    }
}
