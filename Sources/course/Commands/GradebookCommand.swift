import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course gradebook [--csv]`: the class table from a gradebook `course grade` wrote, one
/// row per graded submission with its latest grade.
struct GradebookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradebook",
        abstract: "Print the class table of a gradebook (from `course grade`).")

    @Option(name: .long, help: ArgumentHelp("The gradebook file.", valueName: "file"))
    var gradebook = "grading-report/gradebook.sqlite"

    @Option(name: .long, help: ArgumentHelp("Only this exercise's submissions.", valueName: "id"))
    var exercise: String?

    @Flag(name: .long, help: "Print CSV (RFC 4180) instead of a table.")
    var csv = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let url = URL(fileURLWithPath: gradebook).standardizedFileURL
        // Reading never creates a file: a mistyped path is an error, not a new empty gradebook.
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CourseError("there is no gradebook at \(url.path)",
                              hint: "`course grade` writes one to its report folder (grading-report/gradebook.sqlite); name another with --gradebook")
        }
        let book = try Gradebook(url: url)
        if csv {
            try StandardOutput.write(try book.csv(exercise: exercise))
            return
        }
        let rows = try book.classTable(exercise: exercise)
        if global.json {
            try StandardOutput.write(String(decoding: try JSONEncoder.course.encode(rows.map(JSONRow.init)), as: UTF8.self) + "\n")
            return
        }
        // No course needed: a gradebook can be read anywhere.
        let terminal = TerminalInfo.detect(color: global.color, width: global.width, environment: ProcessInfo.processInfo.environment)
        if rows.isEmpty {
            try StandardOutput.write("No graded submissions\(exercise.map { " of \($0)" } ?? "") in \(url.path).\n")
            return
        }
        try StandardOutput.write(ClassTable(rows: rows, width: terminal.width).render { $1.apply($0, enabled: terminal.capabilities.color) })
    }

    struct JSONRow: Encodable {
        let learner, path, exercise, summary: String
        let score, maxScore: Double
        let passed: Bool
        let stagesPassed, stagesTotal: Int
        let gradedAt: Date

        init(_ row: GradebookRow) {
            learner = row.learner
            path = row.path
            exercise = row.exerciseID
            summary = row.summary
            score = row.score
            maxScore = row.maxScore
            passed = row.passed
            stagesPassed = row.stagesPassed
            stagesTotal = row.stagesTotal
            gradedAt = row.gradedAt
        }
    }
}

/// The class table laid out in columns that fit `width`; the summary column is cut to fit.
struct ClassTable {
    let rows: [GradebookRow]
    let width: Int

    func render(style: (String, TextStyle) -> String) -> String {
        let header = ["Learner", "Exercise", "Score", "Stages", "Graded", "Result"]
        let dates = DateFormatter()
        dates.locale = Locale(identifier: "en_US_POSIX")
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        let cells: [[String]] = rows.map { row in
            [row.learner.controlCharactersReplaced(), row.exerciseID,
             "\(SubmissionResult.format(row.score))/\(SubmissionResult.format(row.maxScore))",
             "\(row.stagesPassed)/\(row.stagesTotal)", dates.string(from: row.gradedAt), row.summary.controlCharactersReplaced()]
        }
        // Widths in terminal columns: a name in CJK takes two per character.
        var widths = header.map { TextWidth.of($0) }
        for line in cells {
            for (index, cell) in line.enumerated() where index < header.count - 1 {
                widths[index] = min(max(widths[index], TextWidth.of(cell)), 32)
            }
        }
        let fixed = widths.dropLast().reduce(0, +) + 2 * (header.count - 1)
        let last = max(20, width - fixed)
        func layout(_ line: [String]) -> String {
            line.enumerated().map { index, cell in
                let isLast = index == header.count - 1
                return Self.fit(cell, to: isLast ? last : widths[index], pad: !isLast)
            }.joined(separator: "  ")
        }
        var out = style(layout(header), TextStyle(bold: true)) + "\n"
        for (row, line) in zip(rows, cells) {
            let text = layout(line)
            out += (row.passed ? text : style(text, TextStyle(color: .red))) + "\n"
        }
        let passed = rows.filter(\.passed).count
        let mean = rows.map { $0.maxScore > 0 ? $0.score / $0.maxScore : 0 }.reduce(0, +) / Double(rows.count)
        out += style("\(rows.count) submission\(rows.count == 1 ? "" : "s"), \(passed) passed every stage, mean score \(Int((mean * 100).rounded()))%",
                     TextStyle(dim: true)) + "\n"
        return out
    }

    /// `text` in at most `columns` terminal columns (cut with "…" when longer), padded with
    /// spaces to exactly that many when `pad`.
    static func fit(_ text: String, to columns: Int, pad: Bool) -> String {
        var out = ""
        var used = 0
        if TextWidth.of(text) > columns {
            for character in text {
                let width = TextWidth.of(character)
                if used + width > columns - 1 { break }
                out.append(character)
                used += width
            }
            out += "…"
            used += 1
        } else {
            out = text
            used = TextWidth.of(text)
        }
        return pad ? out + String(repeating: " ", count: max(0, columns - used)) : out
    }
}
