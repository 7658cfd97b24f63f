import CourseEngine
import Foundation

/// Shows a lesson and records it as read, shared by `course lesson` and `course next`.
struct LessonPresenter {
    let context: CommandContext

    struct LessonJSON: Encodable {
        let id: String
        let number: Int
        let title: String
        let level: String
        let path: String
        let words: Int
        let readingMinutes: Int
        let exercises: [String]
        let coming: [String]
        let markdown: String
    }

    func present(_ lesson: Roadmap.Lesson, html: Bool = false, output: String? = nil) throws {
        let text = try context.course.lessonText(lesson)
        if html {
            let page = HTMLRenderer.page(markdown: text, title: lesson.title)
            if let output {
                do {
                    try page.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw CourseError("cannot write the HTML file: \(error.localizedDescription)", file: output)
                }
                StandardOutput.error("wrote \(output)\n")
            } else {
                try StandardOutput.write(page)
            }
            return
        }
        if context.options.json {
            let words = RoadmapView.wordCount(text)
            try StandardOutput.json(LessonJSON(id: lesson.id, number: lesson.number, title: lesson.title, level: lesson.level,
                                               path: "Curriculum/\(lesson.path)", words: words,
                                               readingMinutes: RoadmapView.readingMinutes(words: words),
                                               exercises: lesson.exercises, coming: lesson.coming, markdown: text))
            return
        }
        let (store, _) = try context.openStore()
        let renderer = context.renderer(for: lesson)
        var rendered = renderer.render(MarkdownDocument(parsing: text))
        rendered += footer(for: lesson, renderer: renderer)
        let seconds = try context.show(rendered)
        // Shown in full (or the reader quit the pager normally): now it counts as read.
        // A pager left open for hours is not hours of reading: cap one view at 2 hours.
        try store.markLessonRead(lesson.id, seconds: min(seconds ?? 0, 7200))
    }

    private func footer(for lesson: Roadmap.Lesson, renderer: TerminalRenderer) -> String {
        var lines: [MarkdownBlock] = [MarkdownBlock(.thematicBreak, line: 0)]
        var inlines: [MarkdownInline] = [.annotation("Lesson \(lesson.number) of \(context.course.roadmap.lessons.count) (\(lesson.level)).", .muted)]
        if !lesson.exercises.isEmpty {
            inlines += [.text(" Practise it: ")] + lesson.exercises.flatMap { [MarkdownInline.code("course check \($0)"), .text(" ")] }
        }
        let all = context.course.roadmap.lessons
        if let index = all.firstIndex(where: { $0.id == lesson.id }), index + 1 < all.count {
            inlines += [.text(" Next lesson: "), .code("course lesson \(all[index + 1].id)"), .text(".")]
        }
        lines.append(MarkdownBlock(.paragraph(inlines), line: 0))
        return "\n" + renderer.render(MarkdownDocument(blocks: lines))
    }
}
