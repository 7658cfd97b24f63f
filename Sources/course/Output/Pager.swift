import CourseEngine
import Foundation

/// Shows long text through `$PAGER`, or `less` with `-R` (colours) `-F` (quit when it fits)
/// `-X` (leave the text on screen), when stdout is a terminal.
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "-R -F -X" }
        if env["LESSCHARSET"] == nil { env["LESSCHARSET"] = "utf-8" }
        process.environment = env
        let pipe = Pipe()
        process.standardInput = pipe
        let started = Date()
        do {
            try process.run()
        } catch {
            try StandardOutput.write(text)
            return nil
        }
        let handle = pipe.fileHandleForWriting
        // The reader may quit early (q in less): a closed pipe is not an error.
        try? handle.write(contentsOf: Data(text.utf8))
        try? handle.close()
        process.waitUntilExit()
        if process.terminationReason == .exit && process.terminationStatus == 127 {
            // The pager command does not exist.
            try StandardOutput.write(text)
            return nil
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw CourseError("the pager '\(command)' failed (status \(process.terminationStatus))",
                              hint: "set PAGER to another program, or use --no-pager")
        }
        return Date().timeIntervalSince(started)
    }
}
