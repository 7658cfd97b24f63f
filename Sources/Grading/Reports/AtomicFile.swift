import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old file or the complete new one, never a
/// half-written report: the bytes go to a temporary file in the same directory, are flushed
/// to disk, and the temporary file is renamed over the target (`rename(2)` is atomic within
/// one file system). A run killed mid-write leaves at most a hidden `.*.tmp` file behind.
/// (The grading worker writes its result with it; reports go through `ReportWriter`, which
/// puts a whole run in place at once.)
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError.cannotCreate(directory.path)
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFileError.cannotCreate(temporary.path) }
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += count
            }
            if fsync(fd) != 0 { failure = errno }
        }
        close(fd)
        guard failure == 0 else {
            unlink(temporary.path)
            throw AtomicFileError.cannotReplace(url.path, String(cString: strerror(failure)))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw AtomicFileError.cannotReplace(url.path, String(cString: strerror(code)))
        }
    }
}

/// Why a report file could not be written.
public enum AtomicFileError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String)
    case cannotReplace(String, String)

    public var description: String {
        switch self {
        case .cannotCreate(let path): return "cannot create \(path)"
        case .cannotReplace(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
