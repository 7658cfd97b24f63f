import CProcessSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a grading process does about processes a submission starts and abandons.
public enum Orphans {
    /// Makes this process a child subreaper: a daemon a submission leaves behind (`setsid`,
    /// double fork) is re-parented here instead of to init, where `sweep()` finds it.
    public static func adoptOrphans() {
        _ = cps_set_child_subreaper()
    }

    /// Kills every process below this one, once, without reaping: for a watcher stopping a
    /// check in flight, whose grader still waits for its own children.
    public static func killDescendants() {
        for entry in ProcessTree.read().descendants(of: getpid()) { kill(entry.pid, SIGKILL) }
    }

    /// Kills every process below this one: what a submission started and abandoned.
    public static func sweep() {
        for _ in 0..<50 {
            let left = ProcessTree.read().descendants(of: getpid())
            if left.isEmpty { return }
            for entry in left { kill(entry.pid, SIGKILL) }
            var status: Int32 = 0
            while waitpid(-1, &status, WNOHANG) > 0 {}
            usleep(10_000)
        }
    }

    /// Ends this process, after killing everything below it, as soon as `parent` ends: a
    /// grading worker whose `course grade` was killed must not grade on unseen (and keep its
    /// programs running). A thread waits on the parent's pidfd.
    public static func exitWithParent(_ parent: pid_t) {
        let fd = cps_pidfd_open(parent)
        guard fd >= 0 else {
            if getppid() != parent { exit(3) }
            return
        }
        let thread = Thread {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while Glibc.poll(&entry, 1, -1) < 0 && errno == EINTR {}
            sweep()
            exit(3)
        }
        thread.name = "course-parent-watch"
        thread.start()
    }
}
