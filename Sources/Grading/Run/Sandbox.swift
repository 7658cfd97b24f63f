import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Confinement of a submission's build and program with bubblewrap: a read-only system,
/// a writable copy of the submission and a private `/tmp`, no view of other folders (the
/// course with its solutions, other submissions, the grader's home), its own pid namespace
/// (so nothing it starts outlives it), no capabilities, and as root an unprivileged uid.
///
/// The network namespace is not made here: `course grade` runs each submission's checks in
/// a worker process that already has a private network namespace, so the program and its
/// checks share a loopback that nothing else can reach.
public struct Sandbox: Sendable, Equatable {
    public let bubblewrap: String
    /// The uid and gid the program runs as (outside any user namespace) when the grader is root.
    public let uid: uid_t

    public static let nobody: uid_t = 65534

    /// Finds bubblewrap and checks that it can start a sandbox here; else says why not.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<Sandbox, SandboxUnavailable> {
        guard let path = ChildProcess.resolve("bwrap", path: environment["PATH"] ?? "/usr/bin:/bin") else {
            return .failure(SandboxUnavailable(reason: "bubblewrap (bwrap) is not installed; install the Debian package bubblewrap"))
        }
        let sandbox = Sandbox(bubblewrap: path, uid: nobody)
        // A real start, not just a path: user namespaces may be disabled on this kernel.
        let probe = sandbox.wrap(["/bin/true"], workDirectory: "/", environment: ["PATH": "/usr/bin:/bin"])
        do {
            let child = try ChildProcess.spawn(.init(arguments: probe, environment: ["PATH": "/usr/bin:/bin"], stdout: .null, stderr: .null))
            guard let status = child.wait(timeout: 10) else {
                child.sendToGroup(SIGKILL)
                child.wait()
                return .failure(SandboxUnavailable(reason: "bubblewrap did not start within 10 s"))
            }
            guard status.isSuccess else {
                return .failure(SandboxUnavailable(reason: "bubblewrap cannot start a sandbox here (\(status)); user namespaces may be disabled"))
            }
        } catch {
            return .failure(SandboxUnavailable(reason: "bubblewrap cannot start: \(error)"))
        }
        return .success(sandbox)
    }

    /// `command` run inside the sandbox, in `workDirectory` (bound read-write at the same
    /// path), with exactly `environment`, and the folders of `readOnly` (the Go module
    /// proxy) visible read-only at their own paths.
    public func wrap(_ command: [String], workDirectory: String, environment: [String: String], readOnly: [String] = []) -> [String] {
        var args: [String] = []
        if geteuid() == 0 {
            // Drop to a real unprivileged uid before bubblewrap makes its user namespace: as
            // root the sandboxed uid would map to 0 and could read root's files.
            args += ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"]
        }
        args += [bubblewrap,
                 "--unshare-user", "--uid", "\(Self.nobody)", "--gid", "\(Self.nobody)",
                 "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                 "--ro-bind", "/usr", "/usr",
                 "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                 "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin"]
        for file in Self.systemFiles {
            args += ["--ro-bind-try", file, file]
        }
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for folder in readOnly {
            args += ["--ro-bind", folder, folder]
        }
        args += ["--bind", workDirectory, workDirectory, "--chdir", workDirectory, "--clearenv"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            args += ["--setenv", key, value]
        }
        return args + ["--"] + command
    }

    /// What programs need from /etc: name lookup, time zones, certificates, the dynamic
    /// linker's cache, Debian's alternatives. Not shadow files, not the grader's secrets.
    static let systemFiles = ["/etc/alternatives", "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/nsswitch.conf",
                              "/etc/resolv.conf", "/etc/localtime", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                              "/etc/ssl/certs", "/etc/mime.types", "/etc/protocols", "/etc/services"]
}

public struct SandboxUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
