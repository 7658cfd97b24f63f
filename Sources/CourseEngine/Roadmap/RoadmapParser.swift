/// Builds a `Roadmap` from the markdown of `ROADMAP.md`.
///
/// The format is the page a person reads:
/// * `# Title`, then one `## Level` heading per level (Beginner, Intermediate, Advanced);
/// * under a level, a list whose items each start with a link to a lesson file
///   (`[Title](lessons/id.md): summary`);
/// * in an item, `Exercises:` followed by inline-code ids of built exercises, and
///   `Coming:` followed by ids of exercises not built yet.
///
/// Checks against the file system (files exist, exercises exist) are the caller's, through
/// `validate`, so the parser itself is pure and testable on strings.
public struct RoadmapParser {
    public var displayPath: String

    public init(displayPath: String = "Curriculum/ROADMAP.md") {
        self.displayPath = displayPath
    }

    public func parse(_ text: String) throws -> Roadmap {
        let document = MarkdownDocument(parsing: text)
        var title = ""
        var levels: [Roadmap.Level] = []
        var seen: [String: Int] = [:]
        var number = 0

        for block in document.blocks {
            switch block.kind {
            case .heading(1, let content) where title.isEmpty:
                title = content.plainText
            case .heading(2, let content):
                levels.append(Roadmap.Level(name: content.plainText.trimmingCharacters(in: .whitespaces), lessons: []))
            case .list(let list) where !levels.isEmpty:
                for item in list.items {
                    guard let lesson = try lesson(in: item, level: levels[levels.count - 1].name, number: number + 1) else { continue }
                    if let previous = seen[lesson.id] {
                        throw CourseError("lesson '\(lesson.id)' is listed twice (first at line \(previous))", file: displayPath, line: lesson.line)
                    }
                    seen[lesson.id] = lesson.line
                    number += 1
                    levels[levels.count - 1].lessons.append(lesson)
                }
            default:
                continue
            }
        }
        levels.removeAll { $0.lessons.isEmpty }
        guard !levels.isEmpty else {
            throw CourseError("no lessons found: expected `## Level` headings followed by a list of lesson links",
                              file: displayPath, line: 1)
        }
        return Roadmap(title: title.isEmpty ? "Roadmap" : title, levels: levels, document: document)
    }

    /// A list item is a lesson when its first paragraph starts with a link to a `.md` file.
    private func lesson(in item: [MarkdownBlock], level: String, number: Int) throws -> Roadmap.Lesson? {
        guard let first = item.first, case .paragraph(let inlines) = first.kind else { return nil }
        guard let linkIndex = inlines.firstIndex(where: {
            if case .link(let destination, _, _) = $0 { return Self.isLessonLink(destination) }
            return false
        }), case .link(let destination, _, let content) = inlines[linkIndex] else {
            return nil
        }
        let path = destination.split(separator: "#", maxSplits: 1).first.map(String.init) ?? destination
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let id = String(file.dropLast(3))
        guard Self.isValidID(id) else {
            throw CourseError("lesson file name '\(file)' cannot be an id: use lowercase letters, digits and dashes",
                              file: displayPath, line: first.line)
        }

        var exercises: [String] = []
        var coming: [String] = []
        var summary = ""
        enum Collecting { case none, exercises, coming }
        var collecting = Collecting.none
        for inline in inlines[(linkIndex + 1)...] {
            switch inline {
            case .text(let text):
                if let range = text.range(of: "Exercises:") {
                    summary += text[..<range.lowerBound]
                    collecting = .exercises
                } else if let range = text.range(of: "Coming:") {
                    summary += text[..<range.lowerBound]
                    collecting = .coming
                } else if collecting == .none {
                    summary += text
                } else if !text.allSatisfy({ $0 == "," || $0 == " " || $0 == "." }) {
                    throw CourseError("unexpected text '\(text)' in the exercise list of '\(id)': list ids as `inline-code`, separated by commas",
                                      file: displayPath, line: first.line)
                }
            case .code(let code):
                switch collecting {
                case .none: summary += "`\(code)`"
                case .exercises: exercises.append(code)
                case .coming: coming.append(code)
                }
            case .softBreak, .lineBreak:
                if collecting == .none { summary += " " }
            default:
                if collecting == .none { summary += inline.plainText }
            }
        }
        for exercise in exercises + coming where !Self.isValidID(exercise) {
            throw CourseError("exercise id '\(exercise)' of lesson '\(id)' is not an id: use lowercase letters, digits and dashes",
                              file: displayPath, line: first.line)
        }
        summary = summary.trimmingCharacters(in: .whitespaces)
        if summary.hasPrefix(":") || summary.hasPrefix("—") || summary.hasPrefix("-") {
            summary = String(summary.dropFirst()).trimmingCharacters(in: .whitespaces)
        }
        return Roadmap.Lesson(id: id, number: number, title: content.plainText, summary: summary, level: level,
                              path: path, exercises: exercises, coming: coming, line: first.line)
    }

    static func isLessonLink(_ destination: String) -> Bool {
        let path = destination.split(separator: "#", maxSplits: 1).first.map(String.init) ?? destination
        return path.hasSuffix(".md") && !path.contains("://")
    }

    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
            && id.first != "-"
    }
}

import Foundation
