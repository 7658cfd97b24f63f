/// A program's output cut to what a person reads beside a failure: its first lines, the
/// start of a Go crash wherever it is (the `panic:` or `fatal error:` line and the first
/// frame in the learner's own code), and its last lines, each gap stated as a line.
///
/// Why not the tail alone: a Go program that dies prints the cause first and then a dump of
/// every goroutine. The last 20 lines of a 45-line dump of `fatal error: concurrent map
/// writes` are frames of goroutines that did nothing wrong, and the message saying what
/// happened is cut off. Every place that shows a program's output (a server that died, one
/// that never became ready, the output attached to a failing check) goes through here, so
/// `check`, `watch` and every report show the same cut.
public struct OutputExcerpt: Sendable, Equatable {
    /// Lines kept from the start and from the end.
    public var headLines: Int
    public var tailLines: Int
    /// The longest line shown; longer ones are cut with their length stated.
    public var lineLimit: Int

    public init(headLines: Int = 4, tailLines: Int = 12, lineLimit: Int = 400) {
        self.headLines = max(0, headLines)
        self.tailLines = max(1, tailLines)
        self.lineLimit = max(40, lineLimit)
    }

    /// The cut used for failures: a few first lines, a crash's cause, the last dozen.
    public static let standard = OutputExcerpt()

    /// At most this many lines come from a crash: its message and the frame that matters.
    static let crashBudget = 9

    /// The excerpt of `text`. `folder`, the program's working folder, is taken off the
    /// paths in it (`/tmp/…/work/main.go:23` reads `main.go:23`). Text short enough to show
    /// whole comes back whole, so cutting an excerpt again changes nothing.
    public func cut(_ text: String, folder: String? = nil) -> String {
        var source = text
        if let folder, !folder.isEmpty {
            source = source.replacingOccurrences(of: folder.hasSuffix("/") ? folder : folder + "/", with: "")
        }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        lines = lines.map(shorten)
        let whole = headLines + tailLines + Self.crashBudget + 2
        if lines.count <= whole { return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "") }

        var kept = Set(0..<min(headLines, lines.count))
        kept.formUnion(max(0, lines.count - tailLines)..<lines.count)
        if let crash = GoCrash.find(in: lines) { kept.formUnion(crash.lines) }
        var out: [String] = []
        var previous = -1
        for index in kept.sorted() {
            if index > previous + 1 { out.append(Self.gap(index - previous - 1)) }
            out.append(lines[index])
            previous = index
        }
        return out.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }

    /// The line that stands for lines left out.
    static func gap(_ count: Int) -> String {
        "⋯ (\(count) line\(count == 1 ? "" : "s") left out)"
    }

    private func shorten(_ line: String) -> String {
        guard line.utf8.count > lineLimit else { return line }
        let cut = String(line.prefix(lineLimit))
        return cut + "… (\(line.count - cut.count) more characters)"
    }
}

/// Where a Go program's output says it crashed, and which of its lines explain it.
public struct GoCrash: Sendable, Equatable {
    /// The line saying what happened: `panic: …`, `fatal error: …`, `http: panic serving …`.
    public var messageLine: Int
    /// The lines worth showing, in order: the message (and its continuation lines), the
    /// goroutine that crashed, the first frame in the learner's code (function and file:line).
    public var lines: [Int]
    /// The line of the first frame in the learner's own code ("main.worker(…)", followed by
    /// its "main.go:15 +0x9e" line), when the trace has one.
    public var userFrameLine: Int?

    /// The first crash in `lines`, or nil when the output has none.
    public static func find(in lines: [String]) -> GoCrash? {
        guard let start = lines.firstIndex(where: isCrashMessage) else { return nil }
        var crash = GoCrash(messageLine: start, lines: [start])
        // The message may go on over lines (`panic: x [recovered]`, a tab-indented
        // `panic: y` under it); the trace starts at the first `goroutine N [...]:` line.
        var index = start + 1
        var header: Int?
        while index < lines.count && index <= start + 6 {
            if isGoroutineHeader(lines[index]) { header = index; break }
            if !lines[index].trimmingCharacters(in: .whitespaces).isEmpty { crash.lines.append(index) }
            index += 1
        }
        guard let header else { return crash }
        crash.lines.append(header)
        // Frames come in pairs: "pkg.function(args)" then "\tfile.go:line +0xNN".
        var frame = header + 1
        while frame + 1 < lines.count {
            let function = lines[frame]
            let location = lines[frame + 1]
            guard !function.isEmpty, location.hasPrefix("\t") else { break }
            if isUserFrame(function: function, location: location) {
                crash.lines += [frame, frame + 1]
                crash.userFrameLine = frame
                break
            }
            frame += 2
        }
        return crash
    }

    static func isCrashMessage(_ line: String) -> Bool {
        line.hasPrefix("panic: ") || line.hasPrefix("fatal error: ") || line.contains("http: panic serving ")
            || line == "WARNING: DATA RACE"
    }

    static func isGoroutineHeader(_ line: String) -> Bool {
        line.hasPrefix("goroutine ") && line.hasSuffix("]:")
    }

    /// A frame of the learner's code: not in Go's own sources (`…/go-1.19/src/…`,
    /// `/usr/local/go/src/…`), Debian's packaged libraries or the module cache, and not the
    /// runtime's own `panic(…)` frame.
    static func isUserFrame(function: String, location: String) -> Bool {
        if function.hasPrefix("main.") { return true }
        if function.hasPrefix("panic(") || function.hasPrefix("runtime.") { return false }
        let path = location.trimmingCharacters(in: .whitespaces)
        for library in ["/usr/share/gocode/", "/pkg/mod/", "/usr/local/go/src/", "/usr/lib/go/src/"] where path.contains(library) {
            return false
        }
        if path.range(of: #"/go-[0-9.]+/src/"#, options: .regularExpression) != nil { return false }
        return true
    }
}
