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
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw AtomicFileError.cannotCreate(temporary.path)
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
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
