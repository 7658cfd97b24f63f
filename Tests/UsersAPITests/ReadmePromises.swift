import Foundation

/// An exercise's `PROMISES.md`: each promise its README.md makes to the learner's program,
/// quoted, with the checks that fail a program breaking it.
///
/// ```markdown
/// > any other path | | `404`          ← a quote from README.md (more `> ` lines continue it)
/// - get/unknown-path                   ← a check of this exercise: stage/check
/// - users-api: get/by-id               ← or of another exercise
/// ```
///
/// A quote matches README.md with every run of spaces and line breaks taken as one space.
/// `not checked` stands for a check only where the quote itself says "not checked": the
/// README then tells the learner so, and promises nothing.
struct PromiseTable {
    struct Promise {
        var quote: String
        var checks: [CheckReference]
        /// Line of the quote in PROMISES.md.
        var line: Int
    }

    struct CheckReference: Equatable, CustomStringConvertible {
        /// nil: the exercise the table belongs to.
        var exercise: String?
        var stage: String
        var check: String

        var description: String { (exercise.map { "\($0): " } ?? "") + "\(stage)/\(check)" }
    }

    static let fileName = "PROMISES.md"
    static let notChecked = "not checked"

    var promises: [Promise]
    /// Lines that are neither prose nor a well-formed entry.
    var problems: [String]

    init(parsing text: String) {
        promises = []
        problems = []
        var current: Promise?
        var quoting = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(">") {
                let words = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if quoting, current != nil {
                    current!.quote += " " + words
                } else {
                    if let done = current { promises.append(done) }
                    current = Promise(quote: words, checks: [], line: index + 1)
                }
                quoting = true
                continue
            }
            quoting = false
            guard line.hasPrefix("- "), current != nil else { continue }
            let reference = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if reference == Self.notChecked {
                current!.checks.append(CheckReference(exercise: nil, stage: "", check: Self.notChecked))
                continue
            }
            var exercise: String?
            var path = Substring(reference)
            if let colon = reference.firstIndex(of: ":") {
                exercise = reference[..<colon].trimmingCharacters(in: .whitespaces)
                path = reference[reference.index(after: colon)...]
            }
            let parts = path.trimmingCharacters(in: .whitespaces).split(separator: "/")
            guard parts.count == 2 else {
                problems.append("\(Self.fileName) line \(index + 1): \"\(reference)\" is not stage/check")
                continue
            }
            current!.checks.append(CheckReference(exercise: exercise, stage: String(parts[0]), check: String(parts[1])))
        }
        if let done = current { promises.append(done) }
    }
}

/// README.md as the promise test reads it: the text outside the sections that only tell
/// the learner how to work (`Run it`, `Done means`, `With … instead`), with every run of
/// spaces and line breaks as one space, and the marks of a promise in it.
struct ReadmeText {
    /// Sections whose text promises nothing to the program: commands to type, another way
    /// to build the same thing, a summary of the stages above.
    static let howToSections = ["Run it", "Done means", "With a library instead", "With SQLite instead"]

    /// The statuses a README may promise; a number such as `100` characters or `999` (an id)
    /// is not one of them.
    static let statuses: Set<String> = ["200", "201", "202", "204", "301", "302", "303", "307", "308", "400", "401", "403", "404",
                                        "405", "409", "410", "413", "415", "422", "429", "500", "501", "502", "503", "504"]
    /// Response headers whose presence or value a README may promise.
    static let headers = ["Allow", "WWW-Authenticate", "Content-Type", "Location"]
    /// Words that make a sentence a requirement.
    static let words = ["must", "Must", "refused", "refuse", "Refuse"]

    /// The text, normalized.
    let text: String
    /// The README line of each character of `text`.
    let lines: [Int]

    init(markdown: String) {
        var text = "", lines: [Int] = []
        var skipping = false
        var pendingSpace = false
        var fenced = false
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { fenced.toggle() }
            if !fenced, line.hasPrefix("#"), let title = Self.heading(line) {
                let level = line.prefix { $0 == "#" }.count
                if level <= 2 { skipping = Self.howToSections.contains(title) }
            }
            if skipping { continue }
            for character in line {
                if character == " " || character == "\t" {
                    pendingSpace = true
                    continue
                }
                if pendingSpace, !text.isEmpty {
                    text.append(" ")
                    lines.append(index + 1)
                }
                pendingSpace = false
                text.append(character)
                lines.append(index + 1)
            }
            pendingSpace = true
        }
        self.text = text
        self.lines = lines
    }

    static func heading(_ line: Substring) -> String? {
        let title = line.drop { $0 == "#" }
        guard title.first == " " else { return nil }
        return title.trimmingCharacters(in: .whitespaces)
    }

    /// `quote` with runs of spaces as one space, as `text` has it.
    static func normalize(_ quote: String) -> String {
        quote.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// Every place `quote` occurs, as character offsets into `text`.
    func occurrences(of quote: String) -> [Range<Int>] {
        let needle = Array(Self.normalize(quote)), haystack = Array(text)
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var found: [Range<Int>] = []
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], Array(haystack[start..<(start + needle.count)]) == needle {
                found.append(start..<(start + needle.count))
            }
            start += 1
        }
        return found
    }

    /// A mark of a promise: a status code, a response header's name, or a word of
    /// obligation, standing alone (not part of a longer word or number).
    struct Mark {
        let range: Range<Int>
        let text: String
    }

    var marks: [Mark] {
        let characters = Array(text)
        var marks: [Mark] = []
        func alone(_ range: Range<Int>) -> Bool {
            let before = range.lowerBound > 0 ? characters[range.lowerBound - 1] : " "
            let after = range.upperBound < characters.count ? characters[range.upperBound] : " "
            return !(before.isLetter || before.isNumber || before == "-") && !(after.isLetter || after.isNumber || after == "-")
        }
        for token in Array(Self.statuses) + Self.headers + Self.words {
            for range in occurrences(of: token) where alone(range) {
                marks.append(Mark(range: range, text: token))
            }
        }
        return marks.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The README line a mark is on, and the line's text around it, for messages.
    func context(of mark: Mark, in markdown: String) -> String {
        let line = lines[mark.range.lowerBound]
        let source = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        return "README.md line \(line): \(source[line - 1].trimmingCharacters(in: .whitespaces))"
    }
}
