import CourseEngine
import Foundation

/// `Exercises/<id>/HINTS.md`: hints that `course hint` reveals one at a time, for the stage
/// the learner is stuck on, and for the check that failed.
///
/// ```markdown
/// # Hints for echo-lines            ← optional title
///
/// ## echo                           ← a stage id from exercise.yaml: the stage's hints
///
/// Your program must read standard input: look at `bufio.Scanner`.
///
/// ---                               ← between two hints of a section
///
/// Print each line with `fmt.Println(scanner.Text())`.
///
/// ## edges/empty-lines              ← one check of the stage (its id in the piece's suite)
/// …
/// ## routes/not-allowed/no-allow    ← one way that check fails (the tag its failure carries)
/// …
/// ```
///
/// Each hint is markdown (code blocks included; a `---` or `## ` inside a fenced block is
/// code, not structure). Hints go from a nudge to nearly the answer. When the latest check
/// failed at a check that has hints of its own, those come first (the ones for how it
/// failed before the check's), then the stage's. A stage without a section has no hints; an
/// unknown stage id or a repeated section is an error with its line.
public struct ExerciseHints: Sendable, Equatable {
    public struct Hint: Sendable, Equatable {
        public var markdown: String
        /// Line of the hint's first text in the file.
        public var line: Int
    }

    public static let fileName = "HINTS.md"

    public var file: String
    /// Hints by section: a stage id, `stage/check` or `stage/check/tag`, in order.
    public var sections: [String: [Hint]]

    /// The stage's own hints.
    public func hints(for stageID: String) -> [Hint] {
        sections[stageID] ?? []
    }

    /// What `course hint` shows for a failure at `check` of `stageID` that carried `tag`:
    /// the hints for how the check failed, then the check's, then the stage's. `key` names
    /// the most specific section that has hints (the progress of reveals is kept per key).
    public func hints(for stageID: String, check: String?, tag: String?) -> (key: String, hints: [Hint]) {
        var keys: [String] = []
        if let check {
            if let tag { keys.append("\(stageID)/\(check)/\(tag)") }
            keys.append("\(stageID)/\(check)")
        }
        keys.append(stageID)
        let present = keys.filter { !(sections[$0] ?? []).isEmpty }
        return (present.first ?? stageID, present.flatMap { sections[$0] ?? [] })
    }

    /// The check ids sections name, by stage (for `course verify` to hold against the suite).
    public var checkSections: [(stage: String, check: String, line: Int)] {
        sectionLines.compactMap { key, line in
            let parts = key.split(separator: "/")
            return parts.count >= 2 ? (String(parts[0]), String(parts[1]), line) : nil
        }.sorted { $0.line < $1.line }
    }

    /// The line of each section's heading.
    var sectionLines: [String: Int] = [:]

    /// Reads the exercise's HINTS.md; nil when it has none.
    public static func load(_ exercise: ExerciseManifest) throws -> ExerciseHints? {
        guard let folder = exercise.folder else { return nil }
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let display = exercise.file.hasSuffix("/" + ExerciseManifest.fileName)
            ? String(exercise.file.dropLast(ExerciseManifest.fileName.count)) + fileName : url.path
        return try parse(try SourceFile.read(url, displayPath: display), stageIDs: exercise.stages.map(\.id), file: display)
    }

    public static func parse(_ text: String, stageIDs: [String], file: String) throws -> ExerciseHints {
        var stages: [String: [Hint]] = [:]
        var sectionLines: [String: Int] = [:]
        var current: String?
        var chunk: [String] = []
        var chunkLine = 0
        var fence: Substring?
        var sawTitle = false

        func finishHint() {
            let markdown = chunk.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if let current, !markdown.isEmpty {
                stages[current, default: []].append(Hint(markdown: markdown, line: chunkLine))
            }
            chunk = []
        }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed.hasPrefix(open) && trimmed.allSatisfy({ $0 == open.first }) { fence = nil }
            } else if let marker = Self.fenceMarker(trimmed) {
                fence = marker
            } else if line.hasPrefix("## ") || line == "##" {
                finishHint()
                let id = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                let stage = parts.first ?? ""
                guard stageIDs.contains(stage) else {
                    let known = stageIDs.joined(separator: ", ")
                    throw CourseError(id.isEmpty ? "a '##' heading needs a stage id" : "no stage '\(stage)' in this exercise",
                                      file: file, line: number,
                                      hint: "hints go under '## <stage-id>' or '## <stage-id>/<check-id>'; the stages are: \(known)")
                }
                guard parts.count <= 3, !parts.contains(where: { $0.isEmpty || $0.contains(" ") }) else {
                    throw CourseError("'\(id)' is not a section name", file: file, line: number,
                                      hint: "a section is '## <stage-id>', '## <stage-id>/<check-id>' or '## <stage-id>/<check-id>/<how-it-failed>'")
                }
                guard stages[id] == nil else {
                    let what = parts.count == 1 ? "the stage '\(id)'" : "'\(id)'"
                    throw CourseError("a second section for \(what)", file: file, line: number,
                                      hint: "put all of its hints under one '## \(id)' heading, separated by '---' lines")
                }
                stages[id] = []
                sectionLines[id] = number
                current = id
                continue
            } else if current != nil && Self.isSeparator(trimmed) {
                finishHint()
                continue
            }
            if current == nil {
                if trimmed.isEmpty { continue }
                if line.hasPrefix("# ") && !sawTitle {
                    sawTitle = true
                    continue
                }
                throw CourseError("text before the first stage section", file: file, line: number,
                                  hint: "start each stage's hints with a '## <stage-id>' heading (a '# title' may come first)")
            }
            if chunk.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) && !trimmed.isEmpty { chunkLine = number }
            chunk.append(String(line))
        }
        if fence != nil {
            throw CourseError("a code block is never closed", file: file, line: lines.count,
                              hint: "close it with a line of the same fence (```)")
        }
        finishHint()
        return ExerciseHints(file: file, sections: stages, sectionLines: sectionLines)
    }

    /// The fence that opens a code block (```` ``` ```` or `~~~`, three or more), else nil.
    static func fenceMarker(_ trimmed: String) -> Substring? {
        for mark in ["`", "~"] {
            let run = trimmed.prefix { String($0) == mark }
            if run.count >= 3 { return run }
        }
        return nil
    }

    /// A line of three or more `-` (spaces allowed): the break between two hints.
    static func isSeparator(_ trimmed: String) -> Bool {
        let dashes = trimmed.filter { $0 != " " }
        return dashes.count >= 3 && dashes.allSatisfy { $0 == "-" }
    }
}
