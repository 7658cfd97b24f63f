import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drains a pipe on its own thread for as long as the writer keeps it open, keeping the
/// first and last `limit / 2` bytes and counting the rest, so a program that floods its
/// output is never buffered without bound and never blocks on a full pipe.
///
/// Readers (checks) see the kept text as it arrives: `text`, or `nextLine` for line-by-line
/// protocols.
public final class OutputCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var total = 0
    private var finished = false
    private var lineCursor = 0
    private let limit: Int
    /// Also appended to (capped the same way) with a prefix: the combined program log.
    private let log: OutputCapture?
    private let thread: Thread?

    /// A capture fed by `append` (a combined log), passing what it gets on to `log`.
    public init(limit: Int, log: OutputCapture? = nil) {
        self.limit = max(limit, 64)
        self.log = log
        thread = nil
    }

    /// Starts draining `fd` (and closes it at end of file).
    public init(draining fd: Int32, limit: Int, log: OutputCapture?) {
        self.limit = max(limit, 64)
        self.log = log
        var started: Thread?
        let box = Holder()
        started = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                box.capture?.append(buffer[0..<count])
            }
            close(fd)
            box.capture?.finish()
        }
        thread = started
        box.capture = self
        started?.name = "course-output"
        started?.start()
    }

    private final class Holder: @unchecked Sendable { var capture: OutputCapture? }

    public func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        lock.lock()
        total += bytes.count
        let headRoom = limit / 2 - head.count
        if headRoom > 0 {
            head.append(contentsOf: bytes.prefix(headRoom))
            if bytes.count > headRoom { tail.append(contentsOf: bytes.dropFirst(headRoom)) }
        } else {
            tail.append(contentsOf: bytes)
        }
        if tail.count > limit - limit / 2 {
            tail.removeFirst(tail.count - (limit - limit / 2))
        }
        lock.unlock()
        log?.append(bytes)
    }

    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
    }

    /// True once the writer closed the pipe and everything was read.
    public var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    public var totalBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }

    /// What was written after the first `offset` bytes, as far as it was kept, cut to its last
    /// `limit` bytes; `omitted` counts the bytes of it not shown.
    public func written(since offset: Int, last limit: Int) -> (text: String, omitted: Int) {
        lock.lock()
        defer { lock.unlock() }
        let new = max(0, total - offset)
        guard new > 0 else { return ("", 0) }
        let tailStart = total - tail.count
        var bytes: ArraySlice<UInt8>
        if tailStart == head.count {
            bytes = (head + tail)[min(offset, total)...]
        } else {
            bytes = tail[(max(offset, tailStart) - tailStart)...]
        }
        if bytes.count > limit { bytes = bytes.suffix(limit) }
        return (String(decoding: bytes, as: UTF8.self), new - bytes.count)
    }

    /// True when bytes were cut from the middle.
    public var isTruncated: Bool { totalBytes > head.count + tail.count }


    public func snapshot() -> OutputLog {
        lock.lock()
        defer { lock.unlock() }
        let omitted = total - head.count - tail.count
        return OutputLog(head: String(decoding: head, as: UTF8.self), tail: String(decoding: tail, as: UTF8.self),
                         totalBytes: total, omittedBytes: omitted)
    }

    /// The text kept so far, head and tail joined (with the cut stated when there was one).
    public var text: String { snapshot().text }

    /// The next complete line (without its newline) not yet returned, or the final
    /// unterminated line once the stream ended; nil if none is available yet (or ever, when
    /// `isFinished`). Only meaningful while nothing was cut.
    public func nextLine() -> String? {
        lock.lock()
        defer { lock.unlock() }
        let bytes = head + tail
        guard lineCursor < bytes.count else { return nil }
        if let newline = bytes[lineCursor...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = bytes[lineCursor..<newline]
            lineCursor = newline + 1
            return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        if finished {
            let line = bytes[lineCursor...]
            lineCursor = bytes.count
            return String(decoding: line, as: UTF8.self)
        }
        return nil
    }

    /// Waits until the stream ends or `seconds` pass; true when it ended.
    public func waitUntilFinished(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !isFinished {
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return true
    }
}
