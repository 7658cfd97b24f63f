/// The roadmap page annotated for one learner: a mark before each lesson (read, next,
/// unread), its reading time, and a mark after each exercise (passed, attempted, new).
public struct RoadmapView {
    public let course: Course
    public let status: LearnerStatus
    /// Words per lesson, for reading times (missing entries show no time).
    public let wordCounts: [String: Int]

    public init(course: Course, status: LearnerStatus, wordCounts: [String: Int]) {
        self.course = course
        self.status = status
        self.wordCounts = wordCounts
    }

    /// Reading time at 200 words a minute, a pace for technical text with code.
    public static func readingMinutes(words: Int) -> Int {
        Swift.max(1, Int((Double(words) / 200).rounded(.up)))
    }

    /// Counts words the way a reader would: whitespace-separated runs of the source.
    public static func wordCount(_ markdown: String) -> Int {
        markdown.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
    }

    /// Links in the roadmap are the lessons themselves: the view shows the id instead.
    public static func linkHint(_ destination: String) -> String? {
        RoadmapParser.isLessonLink(destination) ? "" : nil
    }

    public func document() -> MarkdownDocument {
        let next = status.next
        let byLine = Dictionary(uniqueKeysWithValues: course.roadmap.lessons.map { ($0.line, $0) })
        var document = course.roadmap.document
        var blocks = document.blocks
        // Progress line right after the title.
        var progress = "Progress: \(status.lessonsRead)/\(course.roadmap.lessons.count) lessons read"
        if !course.roadmap.exercises.isEmpty {
            progress += ", \(status.exercisesPassed)/\(course.roadmap.exercises.count) exercises passed"
        }
        let summary = MarkdownBlock(.paragraph([.annotation(progress, .muted)]), line: 0)
        if let titleIndex = blocks.firstIndex(where: { if case .heading(1, _) = $0.kind { return true }; return false }) {
            blocks.insert(summary, at: titleIndex + 1)
        } else {
            blocks.insert(summary, at: 0)
        }
        document.blocks = blocks.map { annotate($0, byLine: byLine, next: next) }
        return document
    }

    private func annotate(_ block: MarkdownBlock, byLine: [Int: Roadmap.Lesson], next: LearnerStatus.Step) -> MarkdownBlock {
        guard case .list(var list) = block.kind else { return block }
        list.items = list.items.map { item in
            guard let first = item.first, case .paragraph(let inlines) = first.kind, let lesson = byLine[first.line] else {
                return item
            }
            var copy = item
            copy[0].kind = .paragraph(annotateLesson(lesson, inlines, next: next))
            return copy
        }
        var out = block
        out.kind = .list(list)
        return out
    }

    private func annotateLesson(_ lesson: Roadmap.Lesson, _ inlines: [MarkdownInline], next: LearnerStatus.Step) -> [MarkdownInline] {
        let mark: MarkdownInline
        if case .lesson(let nextLesson) = next, nextLesson.id == lesson.id {
            mark = .annotation("▶ ", .next)
        } else if status.isRead(lesson) {
            mark = .annotation("✓ ", .success)
        } else {
            mark = .annotation("○ ", .muted)
        }
        var out: [MarkdownInline] = [mark]
        var linked = false
        for inline in inlines {
            out.append(inline)
            if !linked, case .link = inline {
                linked = true
                var details = [lesson.id]
                if let words = wordCounts[lesson.id] {
                    details.append("\(Self.readingMinutes(words: words)) min read")
                    details.append("\(words) words")
                }
                out.append(.annotation(" [\(details.joined(separator: " · "))]", .muted))
            }
            if case .code(let id) = inline {
                if lesson.exercises.contains(id) {
                    out.append(exerciseMark(id, next: next))
                }
            }
        }
        return out
    }

    private func exerciseMark(_ id: String, next: LearnerStatus.Step) -> MarkdownInline {
        if let progress = status.exercises[id] {
            if progress.passed { return .annotation(" ✓ passed", .success) }
            return .annotation(" ✗ \(progress.bestStagesPassed)/\(progress.stagesTotal) stages, \(progress.attempts) attempts", .failure)
        }
        if case .exercise(let nextID, _) = next, nextID == id { return .annotation(" ▶ next", .next) }
        return .annotation(" ○", .muted)
    }
}
