import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout and stderr with errors reported, not ignored: a closed pipe
/// (`course lesson x | head`) ends the command quietly instead of killing it.
enum StandardOutput {
    struct ClosedPipe: Error {}

    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    static func write(_ text: String) throws {
        try write(text, to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        try? write(text, to: STDERR_FILENO)
    }

    static func write(_ text: String, to fd: Int32) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw ClosedPipe() }
                throw CourseError("cannot write output: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        try write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
