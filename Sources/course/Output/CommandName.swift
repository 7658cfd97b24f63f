/// The name messages use for this program: the one the learner ran it by.
///
/// Messages tell the learner what to type next. A learner who follows the README runs
/// `./course`, and `course next` then answers `command not found`. Rather than ask them to
/// put a link on their PATH (a change to their shell that may not take effect until the next
/// login, and is one more setup step), messages say what they typed: `./course` from the
/// course folder, `../../course` from inside `workspace/EX`, `course` when the PATH finds it.
/// The `./course` script passes that name in `COURSE_COMMAND` (the executable it starts
/// only sees its own path); without it, a bare name the shell found on the PATH is used as
/// it is, and anything else says `course`.
enum CommandName {
    static func detect(environment: [String: String], arguments: [String]) -> String {
        if let given = environment["COURSE_COMMAND"], usable(given) { return given }
        if let first = arguments.first, !first.contains("/"), usable(first) { return first }
        return "course"
    }

    /// A name that prints as itself on one line and is short enough to read.
    private static func usable(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
