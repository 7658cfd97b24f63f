/// An error a person can act on: what is wrong, where (file and line when known), and
/// what to do about it. The CLI prints `description` and exits with `exitCode`.
public struct CourseError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var file: String?
    public var line: Int?
    public var hint: String?
    /// 2 for usage and input errors (the convention in DESIGN.md), 1 for failed checks.
    public var exitCode: Int32

    public init(_ message: String, file: String? = nil, line: Int? = nil, hint: String? = nil, exitCode: Int32 = 2) {
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint
        self.exitCode = exitCode
    }

    public var location: String? {
        guard let file else { return nil }
        if let line { return "\(file):\(line)" }
        return file
    }

    public var description: String {
        var text = location.map { "\($0): \(message)" } ?? message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
