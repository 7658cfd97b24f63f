import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Shows long text through `$PAGER`, or `less` with `-R` (colours) `-F` (quit when it fits)
/// `-X` (leave the text on screen), when stdout is a terminal.
///
/// The pager is a `ChildProcess` in course's own process group: it must stay in the
/// terminal's foreground group to read keys, and starts with default signal handling
/// (course itself ignores SIGPIPE).
struct Pager {
    let environment: [String: String]

    /// Returns how long the pager was open, or nil when it could not run (then the text
    /// was printed directly instead). Throws only if the text could not be shown at all.
    func show(_ text: String) throws -> Double? {
        let command = environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less"
        if command == "cat" {
            try StandardOutput.write(text)
            return nil
        }
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "-R -F -X" }
        if env["LESSCHARSET"] == nil { env["LESSCHARSET"] = "utf-8" }

        let started = Date()
        let pager: ChildProcess
        let pipe: PipeDescriptors
        do {
            pipe = try PipeDescriptors()
            pager = try ChildProcess.spawn(.init(arguments: ["/bin/sh", "-c", command], environment: env,
                                                 stdin: .descriptor(pipe.read), stdout: .inherit, stderr: .inherit,
                                                 group: .inherit))
        } catch {
            try StandardOutput.write(text)
            return nil
        }
        close(pipe.read)
        // While the pager runs, Ctrl-C is its business (less uses it to stop a search).
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previousInterrupt) }
        // The reader may quit early (q in less): a closed pipe is not an error.
        try? StandardOutput.write(text, to: pipe.write)
        close(pipe.write)
        switch pager.wait() {
        case .exited(0):
            return Date().timeIntervalSince(started)
        case .exited(127):
            // The pager command does not exist.
            try StandardOutput.write(text)
            return nil
        case let other:
            throw CourseError("the pager '\(command)' \(other)", hint: "set PAGER to another program, or use --no-pager")
        }
    }
}
