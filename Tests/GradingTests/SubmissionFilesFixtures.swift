import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile submission folders for the tests of `SubmissionFiles`: special files, links out
/// of the submission, a marker that must never reach a message.
struct HostileFolder {
    let root: URL

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("course-hostile-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A folder under the root (made), for a submission or for things outside one.
    func folder(_ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    func write(_ text: String, _ path: String, in folder: URL, mode: mode_t = 0o644) throws -> URL {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        chmod(url.path, mode)
        return url
    }

    func link(_ path: String, in folder: URL, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(path).path, withDestinationPath: target)
    }

    /// A long line no message may carry whole: shaped like the `/etc/shadow` line of the
    /// issue, and a YAML key, so that a reader that followed a link would quote it.
    static func marker() -> String {
        "root-6-" + UUID().uuidString.replacingOccurrences(of: "-", with: "") + "-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    }
}

/// The special files a submission may not hold, made for real.
enum SpecialFile: String, CaseIterable, CustomStringConvertible {
    case fifo, socket, characterDevice

    var description: String { rawValue }

    /// What the refusal says the file is.
    var what: String {
        switch self {
        case .fifo: return "is a FIFO (named pipe)"
        case .socket: return "is a socket"
        case .characterDevice: return "is a character device"
        }
    }

    /// Makes the file at `path`; returns what to call when the test is done.
    func make(at path: String) throws -> () -> Void {
        switch self {
        case .fifo:
            try #require(mkfifo(path, 0o644) == 0, "mkfifo: \(String(cString: strerror(errno)))")
            return {}
        case .socket:
            let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long: \(path)")
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0, "bind: \(String(cString: strerror(errno)))")
            return { close(fd) }
        case .characterDevice:
            // /dev/null's numbers (1, 3); needs CAP_MKNOD, which the grader's root has.
            try #require(mknod(path, S_IFCHR | 0o644, dev_t((1 << 8) | 3)) == 0, "mknod: \(String(cString: strerror(errno)))")
            return {}
        }
    }
}

/// Keeps a test of code that must not open a FIFO from hanging when that code is wrong: a
/// thread opens the FIFO for writing and closes it at once. The open waits for a reader, so
/// code that wrongly opens the FIFO reads an empty file instead of blocking forever, and its
/// test fails rather than never ending. `release()` ends the thread when no one opened it.
final class FifoUnblocker: Sendable {
    let path: String
    private let done = DispatchSemaphore(value: 0)

    init(_ path: String) {
        self.path = path
        let done = self.done
        Thread {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 { close(fd) }
            done.signal()
        }.start()
    }

    func release() {
        // Opening the read end without blocking lets the writer's open return.
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        done.wait()
        if reader >= 0 { close(reader) }
    }
}
